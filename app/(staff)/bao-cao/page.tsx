import { staffPage } from '@/app/_lib/staff-page';

export const dynamic = 'force-dynamic';

export default async function Page() {
  return staffPage('reports', ({ t }) => (
    <section>
      <h1 className="text-2xl font-semibold">{t.reports.title}</h1>
      <p className="mt-2 text-slate-600">{t.comingNext}</p>
    </section>
  ));
}
