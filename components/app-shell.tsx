import Link from 'next/link';
import { AREAS, areasFor, type Area, type Principal } from '@/lib/auth/roles';
import type { Messages } from '@/lib/i18n/messages';
import { IdleGuard } from './idle-guard';
import { LangSwitch } from './lang-switch';
import { SignOutButton } from './sign-out-button';

/** Header with the areas this role may open (the server checks again on every page and API call). */
export function AppShell({
  user,
  t,
  current,
  idleMs,
  children,
}: {
  user: Principal;
  t: Messages;
  current: Area;
  idleMs: number;
  children: React.ReactNode;
}) {
  return (
    <div className="flex min-h-screen flex-col">
      <header className="bg-brand-700 text-white">
        <div className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-2">
          <span lang="vi" className="text-lg font-bold">
            {t.appName}
          </span>
          <nav aria-label={t.navLabel} className="flex gap-1">
            {areasFor(user.role).map((area) => (
              <Link
                key={area}
                href={AREAS[area].path}
                aria-current={area === current ? 'page' : undefined}
                className={`rounded-md px-3 py-1.5 text-sm font-medium ${area === current ? 'bg-white text-brand-800' : 'hover:bg-white/10'}`}
              >
                {t.nav[area]}
              </Link>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span>
              <span lang="vi" className="font-semibold">
                {user.fullName ?? user.name}
              </span>{' '}
              · {t.role[user.role]} · {user.facilityCode}
            </span>
            <Link href="/doi-mat-khau" className="underline hover:no-underline">
              {t.password.link}
            </Link>
            <span className="[&>button]:text-white">
              <LangSwitch label={t.language} lang={t.languageOffered} />
            </span>
            <SignOutButton label={t.signOut} />
          </div>
        </div>
      </header>
      <main className="mx-auto w-full max-w-7xl flex-1 p-4">{children}</main>
      <IdleGuard idleMs={idleMs} />
    </div>
  );
}
