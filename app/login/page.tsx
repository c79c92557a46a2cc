import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/login-form';
import { LangSwitch } from '@/components/lang-switch';
import { homePath } from '@/lib/auth/roles';
import { currentUser } from '../_lib/guard';
import { messages } from '../_lib/lang';

export const dynamic = 'force-dynamic';

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ reason?: string; from?: string }>;
}) {
  const user = await currentUser();
  if (user) redirect(homePath(user.role));
  const t = await messages();
  const { reason, from } = await searchParams;
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-6 p-6">
      <div className="text-center">
        <h1 lang="vi" className="text-3xl font-bold text-brand-700">
          {t.appName}
        </h1>
        <p className="mt-1 text-slate-600">{t.appTagline}</p>
      </div>
      <LoginForm t={t.login} notice={reason === 'idle' ? t.login.idle : undefined} from={from} />
      <LangSwitch label={t.language} lang={t.languageOffered} />
    </main>
  );
}
