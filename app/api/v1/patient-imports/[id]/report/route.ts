import { downloadRoute } from '../../_download';

/** The import's report: counts, then every refused row (row, column, reason), conflicts and remarks. */
export const GET = downloadRoute('report');
