import { staffPage } from '@/app/_lib/staff-page';
import { getDb } from '@/lib/db/client';
import { helpdeskCounts } from '@/lib/helpdesk/log';
import { localDay } from '@/lib/time/local-day';
import { SearchPanel } from '@/components/support/search-panel';
import { HelpdeskForm } from '@/components/support/helpdesk-form';

export const dynamic = 'force-dynamic';

export default async function Page() {
  return staffPage('search', async ({ t, user }) => {
    const today = localDay();
    const counts = await helpdeskCounts(getDb(), user.facilityId, today, today);
    return (
      <section className="space-y-6">
        <h1 className="text-2xl font-semibold">{t.search.title}</h1>
        <SearchPanel t={t.search} codes={t.codes} />
        <HelpdeskForm t={t.helpdesk} initialToday={counts.total} />
      </section>
    );
  });
}
