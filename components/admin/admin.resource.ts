/**
 * The admin page's calls to the API: accounts, API keys, kiosks, the HIS address, desk rooms and the patient
 * import. Answer types are the server's own (next to each route's domain function).
 */
import { ApiError, apiFetch, signInPath } from '@/components/api-fetch';
import type { ApiKeyCreatedResponse, ApiKeyRevokedResponse, ApiKeysResponse } from '@/lib/auth/api-keys';
import type { UserAccountResponse, UserAction, UsersResponse } from '@/lib/auth/users';
import type { RoomAssignedResponse } from '@/lib/encounters/rooms';
import type { HisConnectionResponse, HisProbeResponse } from '@/lib/handoff/config';
import type {
  KioskDisabledResponse,
  KioskRegisteredResponse,
  KioskSettings,
  KiosksResponse,
  PairingCodeResponse,
} from '@/lib/kiosk/devices';
import type {
  ImportJobResponse,
  ImportStartedResponse,
  ImportsResponse,
  UploadPreview,
} from '@/lib/patients/import/uploads';

const id = (value: string) => encodeURIComponent(value);

// ---- accounts ----
export const listUsers = () => apiFetch<UsersResponse>('/api/v1/users');
export const administerUser = (userId: string, action: UserAction) =>
  apiFetch<UserAccountResponse>(`/api/v1/users/${id(userId)}/account`, { body: { action } });
/** The desk user's assigned room, or null to clear it. */
export const assignRoom = (userId: string, roomCode: string | null) =>
  apiFetch<RoomAssignedResponse>(`/api/v1/users/${id(userId)}/room`, { method: 'PUT', body: { roomCode } });

// ---- API keys ----
export const listApiKeys = () => apiFetch<ApiKeysResponse>('/api/v1/api-keys');
export const createApiKey = (input: { name: string; role: string; expiresInDays: number | null }) =>
  apiFetch<ApiKeyCreatedResponse>('/api/v1/api-keys', { body: input });
export const revokeApiKey = (keyId: string) =>
  apiFetch<ApiKeyRevokedResponse>(`/api/v1/api-keys/${id(keyId)}`, { method: 'DELETE' });

// ---- kiosks ----
export const listKiosks = () => apiFetch<KiosksResponse>('/api/v1/kiosks');
export const registerKiosk = (settings: KioskSettings) =>
  apiFetch<KioskRegisteredResponse>('/api/v1/kiosks', { body: settings });
export const newPairingCode = (kioskId: string) =>
  apiFetch<PairingCodeResponse>(`/api/v1/kiosks/${id(kioskId)}/pairing-code`, { method: 'POST' });
export const setKioskDisabled = (kioskId: string, disabled: boolean) =>
  apiFetch<KioskDisabledResponse>(`/api/v1/kiosks/${id(kioskId)}`, { method: 'PATCH', body: { disabled } });

// ---- the HIS (MLLP) address ----
export const saveHisConnection = (mllpUrl: string) =>
  apiFetch<HisConnectionResponse>('/api/v1/settings/his', { method: 'PUT', body: { mllpUrl } });
/** Tests the given address, or the one in use when none is given. */
export const probeHis = (mllpUrl: string) =>
  apiFetch<HisProbeResponse>('/api/v1/settings/his/probe', { body: mllpUrl ? { mllpUrl } : {} });

// ---- patient import ----
export const listImports = () => apiFetch<ImportsResponse>('/api/v1/patient-imports', { poll: true });
export const importJob = (jobId: string, options: { poll?: boolean } = {}) =>
  apiFetch<ImportJobResponse>(`/api/v1/patient-imports/${id(jobId)}`, options);
export const startImport = (input: {
  upload: string;
  fileName: string;
  dryRun: boolean;
  map?: Record<string, string | null>;
}) => apiFetch<ImportStartedResponse>('/api/v1/patient-imports/start', { body: input });
/** The import's report or its conflicts file (a download link). */
export const importFileUrl = (jobId: string, kind: 'report' | 'conflicts') =>
  `/api/v1/patient-imports/${id(jobId)}/${kind}`;

/**
 * Uploads a HIS export as the request body (not a form), reporting progress: XHR, which fetch cannot do for
 * uploads. Answers and refusals as apiFetch's (201 preview, or an ApiError; status 0 when no answer came).
 */
export function uploadImportFile(file: File, onProgress: (pct: number) => void): Promise<UploadPreview> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/patient-imports?${new URLSearchParams({ name: file.name })}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.floor((e.loaded / e.total) * 100));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status === 201) return resolve(body as UploadPreview);
      if (xhr.status === 401)
        window.location.replace(signInPath(`${window.location.pathname}${window.location.search}`));
      const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
      reject(
        new ApiError(
          xhr.status,
          error?.code ?? null,
          error?.message ?? `HTTP ${xhr.status}`,
          typeof error?.message === 'string',
          body,
        ),
      );
    };
    xhr.onerror = () => reject(new ApiError(0, null, 'network', false, null));
    xhr.send(file);
  });
}
