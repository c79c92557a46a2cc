/**
 * The support team's calls to the API: search, corrections, identifiers, merges, break-glass and the VNeID help
 * desk log. Answer types are the server's own (next to each route's domain function).
 */
import { apiFetch, apiRequest } from '@/components/api-fetch';
import type { HelpdeskRecordedResponse } from '@/lib/helpdesk/log';
import type { BreakGlassResponse } from '@/lib/patients/access';
import type { CorrectionResponse, IdentifierAddedResponse } from '@/lib/patients/corrections';
import type { PatientSearchResponse } from '@/lib/patients/lookup';
import type { MergeResponse, UnmergeResponse } from '@/lib/patients/merge';

const id = (value: string) => encodeURIComponent(value);

/** Search by any identifier or by name (audited with its purpose). */
export type SearchQuery = { q: string; purpose: string; birth?: string; phone?: string; page?: number };
export const searchPatients = (query: SearchQuery) => apiFetch<PatientSearchResponse>('/api/v1/patients', { query });

/** A correction of name, birth date, sex, phone or address: only the fields that changed, and the reason. */
export const correctPatient = (patientId: string, change: Record<string, string | null>) =>
  apiFetch<CorrectionResponse>(`/api/v1/patients/${id(patientId)}`, { method: 'PATCH', body: change });

export const addIdentifier = (
  patientId: string,
  input: { system: string; value: string; reason: string; replacesId?: string },
) => apiFetch<IdentifierAddedResponse>(`/api/v1/patients/${id(patientId)}/identifiers`, { body: input });

/** 409 SAME_DAY_VISITS (thrown, with `visits`) until `confirmSameDay`. */
export const mergePatients = (input: { survivorId: string; mergedId: string; reason: string; confirmSameDay?: true }) =>
  apiFetch<MergeResponse>('/api/v1/patients/merge', { body: input });

export const unmergePatients = (mergeId: string, reason: string) =>
  apiFetch<UnmergeResponse>(`/api/v1/patients/merges/${id(mergeId)}/unmerge`, { body: { reason } });

/** Opens a record outside the caller's facility for a while, with a reason (audited). */
export const breakGlass = (patientId: string, reason: string) =>
  apiFetch<BreakGlassResponse>(`/api/v1/patients/${id(patientId)}/break-glass`, { body: { reason } });

/** One citizen helped; `created` is false when this requestId was recorded already (a double click). */
export async function recordHelpdesk(input: { requestId: string; service: string; outcome: string; note?: string }) {
  const { status, body } = await apiRequest<HelpdeskRecordedResponse>('/api/v1/helpdesk', { body: input });
  return { ...body, created: status === 201 };
}
