import { downloadRoute } from '../../_download';

/** The rows in conflict (masked numbers, the rows and existing records involved), for staff to resolve. */
export const GET = downloadRoute('conflicts');
