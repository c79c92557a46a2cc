import Link from 'next/link';
import { homePath } from '@/lib/auth/roles';
import { requirePage } from '../_lib/guard';
import { messages } from '../_lib/lang';

export const dynamic = 'force-dynamic';

/** Where a signed-in user lands when their role may not open a page. */
export default async function Forbidden() {
  const user = await requirePage(null);
  const t = await messages();
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-4 p-6 text-center">
      <h1 className="text-2xl font-semibold text-red-800">{t.forbidden.title}</h1>
      <p className="text-slate-700">{t.forbidden.body}</p>
      <Link href={homePath(user.role)} className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white">
        {t.forbidden.home}
      </Link>
    </main>
  );
}
