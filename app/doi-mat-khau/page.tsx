import { redirect } from 'next/navigation';
import { ChangePasswordForm } from '@/components/change-password-form';
import { LangSwitch } from '@/components/lang-switch';
import { SignOutButton } from '@/components/sign-out-button';
import { homePath } from '@/lib/auth/roles';
import { currentUser } from '../_lib/guard';
import { messages } from '../_lib/lang';

export const dynamic = 'force-dynamic';

/**
 * One's own password. A user with a generated (TEMPORARY) password is sent here by every page and refused by
 * every API route until it is changed (app/_lib/guard.ts); others come by choice from the header's link.
 */
export default async function ChangePasswordPage() {
  const user = await currentUser();
  if (!user) redirect('/login');
  const t = await messages();
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-6 p-6">
      <div className="text-center">
        <h1 className="text-3xl font-bold text-brand-700">{t.appName}</h1>
        <p className="mt-1 text-slate-600">
          {user.fullName ?? user.name} · {t.role[user.role]} · {user.facilityCode}
        </p>
      </div>
      <ChangePasswordForm t={t.password} mustChange={!!user.mustChangePassword} home={homePath(user.role)} />
      <div className="flex items-center gap-4">
        <LangSwitch label={t.language} lang={t.languageOffered} />
        <span className="rounded-md bg-brand-700 text-white">
          <SignOutButton label={t.signOut} />
        </span>
      </div>
    </main>
  );
}
