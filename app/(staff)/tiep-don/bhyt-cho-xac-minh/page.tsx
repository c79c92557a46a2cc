import { staffPage } from '@/app/_lib/staff-page';
import { UnverifiedWorklist } from '@/components/bhyt/unverified-worklist';
import { localDay } from '@/lib/time/local-day';

export const dynamic = 'force-dynamic';

/** "BHYT chưa xác minh": today's BHYT visits the gateway did not answer for, re-verified from here. */
export default async function Page() {
  return staffPage('desk', ({ t }) => <UnverifiedWorklist t={t.bhyt} today={localDay()} />);
}
