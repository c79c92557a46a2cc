/** The reports page's calls to the API and its download links. Answer types are the server's own. */
import { apiFetch } from '@/components/api-fetch';
import type { WeeklyGeneratedResponse } from '@/lib/reports/weekly';

/** Generates (or refreshes) the report of the Monday–Sunday week holding `weekOf`. */
export const generateWeeklyReport = (weekOf: string) =>
  apiFetch<WeeklyGeneratedResponse>('/api/v1/reports/weekly', { body: { weekOf } });

/** Excel downloads (links, not fetches: the browser saves the file). */
export const INTAKE_EXPORT_PATH = '/api/v1/reports/intake';
/** One day's export; a range is the form posted (GET) to INTAKE_EXPORT_PATH with `from` and `to`. */
export const intakeExportUrl = (date: string) => `${INTAKE_EXPORT_PATH}?${new URLSearchParams({ date })}`;
export const weeklyReportUrl = (reportId: string) => `/api/v1/reports/weekly/${encodeURIComponent(reportId)}`;
