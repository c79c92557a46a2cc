/**
 * The one way the browser calls this app's API. Only the `*.resource.ts` modules (one per feature, as OpenMRS 3
 * does) build URLs and call it; components call those. What every call gets here, once:
 * - JSON in and out, `cache: 'no-store'`, and the poll header for a screen's background refresh (lib/auth/polling.ts);
 * - 401 (session ended, kiosk unpaired) → the sign-in page, which brings the user back to where they were;
 * - any other refusal → a thrown `ApiError` carrying the status, the server's code and its (Vietnamese) message, and
 *   the whole answer for the few callers that act on its details (the desk's not-found and second-room answers);
 * - no answer at all (network down, timeout) → an `ApiError` with status 0.
 */
import { POLL_HEADER } from '@/lib/auth/polling';

export class ApiError extends Error {
  constructor(
    /** The HTTP status; 0 when no answer came. */
    readonly status: number,
    /** The server's `error.code` (e.g. VALIDATION, SEEN_TODAY_OTHER_ROOM), or null. */
    readonly code: string | null,
    message: string,
    /** The message is the server's own (Vietnamese) text, fit to show; otherwise show your own. */
    readonly fromServer: boolean,
    /** The whole JSON answer (null when it was not JSON). */
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The answer's `error` object, with any details the route added (`issues`, `visits`, …). */
  get error(): ({ code?: string; message?: string } & Record<string, unknown>) | undefined {
    const error = (this.body as { error?: unknown } | null)?.error;
    return error && typeof error === 'object' ? (error as Record<string, unknown>) : undefined;
  }
}

/** The server's message when it gave one, else `fallback` (the screen's own wording for "it failed"). */
export function errorText(error: unknown, fallback: string): string {
  return error instanceof ApiError && error.fromServer ? error.message : fallback;
}

export type ApiOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Query parameters; undefined ones are left out. */
  query?: Record<string, string | number | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  /** A screen's background refresh: not activity for the idle sign-out, not a new audited look-up. */
  poll?: boolean;
  /**
   * Where a 401 sends the browser (default the staff sign-in page), or false to only throw: the desk keeps a form
   * the receptionist is typing in, and asks them to sign in in another tab.
   */
  signIn?: string | false;
  signal?: AbortSignal;
};

/** The staff sign-in page, saying why and where to come back to. */
export function signInPath(from: string): string {
  return `/login?reason=idle&from=${encodeURIComponent(from)}`;
}

/**
 * Where the sign-in page sends the user back to: `from` when it is a path of this site (never `//elsewhere` or
 * `/\\elsewhere`, which browsers read as another host), else the home page.
 */
export function returnPath(from: string | undefined): string {
  return from && /^\/(?![/\\])/.test(from) ? from : '/';
}

/** The answer's body (null for 204). */
export async function apiFetch<T>(path: string, options: ApiOptions = {}): Promise<T> {
  return (await apiRequest<T>(path, options)).body;
}

/** The answer's body and status, for the few callers to which 200 and 201 mean different things. */
export async function apiRequest<T>(path: string, options: ApiOptions = {}): Promise<{ status: number; body: T }> {
  const query = Object.entries(options.query ?? {}).filter((e): e is [string, string | number] => e[1] !== undefined);
  const url = query.length > 0 ? `${path}?${new URLSearchParams(query.map(([k, v]) => [k, String(v)]))}` : path;
  const headers: Record<string, string> = {};
  if (options.poll) headers[POLL_HEADER] = '1';
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  // Every write is JSON (the server refuses a cookie write of any other type, app/_lib/guard.ts), even without a body.
  if (method !== 'GET') headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      cache: 'no-store',
      signal: options.signal,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (error) {
    throw new ApiError(0, null, (error as Error)?.message ?? 'network', false, null);
  }
  const json: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.ok) return { status: response.status, body: json as T };
  const error = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (response.status === 401 && options.signIn !== false) {
    const here = `${window.location.pathname}${window.location.search}`;
    window.location.replace(options.signIn ?? signInPath(here));
  }
  const message = typeof error?.message === 'string' ? error.message : null;
  throw new ApiError(
    response.status,
    typeof error?.code === 'string' ? error.code : null,
    message ?? `HTTP ${response.status}`,
    message !== null,
    json,
  );
}
