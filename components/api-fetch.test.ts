import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiFetch, errorText, returnPath } from './api-fetch';
import { POLL_HEADER } from '@/lib/auth/polling';

// apiFetch against a stubbed `fetch` and `window.location` (no browser, no server: what it does with each answer).
let calls: { url: string; init: RequestInit }[];
let answer: () => Promise<Response>;
let went: string[];

beforeEach(() => {
  calls = [];
  went = [];
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return answer();
  });
  vi.stubGlobal('window', {
    location: { pathname: '/tiep-don', search: '?x=1', replace: (to: string) => went.push(to) },
  });
});
afterEach(() => vi.unstubAllGlobals());

const json = (status: number, body: unknown) => async () => Response.json(body, { status });

describe('apiFetch', () => {
  it('sends JSON with the method implied by a body, the query without undefined values, and reads the JSON answer', async () => {
    answer = json(201, { ok: true });
    expect(
      await apiFetch('/api/v1/x', { body: { a: 1 }, query: { q: 'Nguyễn Văn', page: 2, skip: undefined } }),
    ).toEqual({ ok: true });
    expect(calls[0]!.url).toBe('/api/v1/x?q=Nguy%E1%BB%85n+V%C4%83n&page=2');
    expect(calls[0]!.init).toMatchObject({
      method: 'POST',
      body: '{"a":1}',
      cache: 'no-store',
      headers: { 'content-type': 'application/json' },
    });
  });

  it('marks a background poll, and sends a bodiless write as JSON (the server refuses cookie writes of any other type)', async () => {
    answer = json(200, {});
    await apiFetch('/api/v1/poll', { poll: true });
    expect(calls[0]!.init).toMatchObject({ method: 'GET', headers: { [POLL_HEADER]: '1' } });
    answer = async () => new Response(null, { status: 204 });
    expect(await apiFetch('/api/v1/k/1', { method: 'DELETE' })).toBeNull();
    expect(calls[1]!.init.headers).toEqual({ 'content-type': 'application/json' });
  });

  it("throws the server's code, message, status and whole answer on a refusal", async () => {
    answer = json(409, {
      error: { code: 'SEEN_TODAY_OTHER_ROOM', message: 'Đã khám hôm nay ở phòng khác.', visits: [{ roomCode: 'P02' }] },
    });
    const error = await apiFetch('/api/v1/checkins', { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 409,
      code: 'SEEN_TODAY_OTHER_ROOM',
      message: 'Đã khám hôm nay ở phòng khác.',
      fromServer: true,
    });
    expect((error as ApiError).error?.visits).toEqual([{ roomCode: 'P02' }]);
    expect(errorText(error, 'Lỗi')).toBe('Đã khám hôm nay ở phòng khác.');
    expect(went).toEqual([]);
  });

  it("an answer that is not JSON (a proxy's 502 page) or no answer at all leaves the screen its own wording", async () => {
    answer = async () => new Response('<html>Bad gateway</html>', { status: 502 });
    const bad = await apiFetch('/api/v1/x').catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 502, code: null, fromServer: false });
    expect(errorText(bad, 'Không gửi được')).toBe('Không gửi được');
    answer = async () => {
      throw new TypeError('Failed to fetch');
    };
    const none = await apiFetch('/api/v1/x').catch((e: unknown) => e);
    expect(none).toMatchObject({ status: 0, fromServer: false });
    expect(errorText(new Error('boom'), 'Lỗi')).toBe('Lỗi');
  });

  it('401 → the sign-in page, saying where the user was; or only throws when the caller keeps the page', async () => {
    answer = json(401, { error: { code: 'UNAUTHENTICATED', message: 'Chưa đăng nhập hoặc phiên đã hết hạn.' } });
    await expect(apiFetch('/api/v1/encounters')).rejects.toMatchObject({ status: 401 });
    expect(went).toEqual(['/login?reason=idle&from=%2Ftiep-don%3Fx%3D1']);
    await expect(apiFetch('/api/v1/checkins', { body: {}, signIn: false })).rejects.toMatchObject({ status: 401 });
    await expect(apiFetch('/api/v1/kiosk/rooms', { signIn: '/kiosk' })).rejects.toMatchObject({ status: 401 });
    expect(went).toEqual(['/login?reason=idle&from=%2Ftiep-don%3Fx%3D1', '/kiosk']);
  });
});

describe('returnPath', () => {
  it('goes back only to a path of this site', () => {
    expect(returnPath('/tiep-don?x=1')).toBe('/tiep-don?x=1');
    expect(returnPath(undefined)).toBe('/');
    expect(returnPath('https://evil.example/')).toBe('/');
    expect(returnPath('//evil.example/')).toBe('/');
    expect(returnPath('/\\evil.example/')).toBe('/');
  });
});
