import { afterEach, vi } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { Providers } from '@/components/providers';
import type { CheckinNotFoundResponse, CheckinResponse } from '@/lib/encounters/check-in';
import type { EncounterHandoffs } from '@/lib/handoff/status';
import type { EncounterListResponse } from '@/lib/encounters/list';

/**
 * For the desk's component tests (jsdom): the components as the app renders them (its own Providers: TanStack
 * Query and the catalogue), and a stand-in for the network only — `fetch` answering as the API does (status and
 * JSON body, the types the routes export). Everything between the two (apiFetch, desk.resource, the scan box's
 * key handling) is the real code.
 */
export type Call = { method: string; path: string; query: URLSearchParams; headers: Headers; body: unknown };
export type Answer = { status: number; body?: unknown } | 'network-down';
type Route = (call: Call) => Answer | Promise<Answer>;

export function stubServer(routes: Record<string, Route> = {}) {
  const calls: Call[] = [];
  const all: Record<string, Route> = {
    // What the desk polls beside what a test is about: today's list (empty) and each result's hand-off badge.
    'GET /api/v1/encounters': () => ({
      status: 200,
      body: { date: '2026-12-01', encounters: [] } satisfies EncounterListResponse,
    }),
    'GET /api/v1/encounters/*/handoffs': () => ({
      status: 200,
      body: { state: 'none', reason: null, messages: [], log: [] } satisfies EncounterHandoffs,
    }),
    ...routes,
  };
  const find = (method: string, path: string) =>
    Object.entries(all).find(([key]) => {
      const [m, pattern] = key.split(' ') as [string, string];
      return m === method && new RegExp(`^${pattern.replace(/[.?+]/g, '\\$&').replace(/\*/g, '[^/]+')}$`).test(path);
    })?.[1];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://desk.test');
    const method = (init.method ?? 'GET').toUpperCase();
    const call: Call = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const route = find(method, url.pathname);
    const answer: Answer = route
      ? await route(call)
      : { status: 404, body: { error: { code: 'NOT_FOUND', message: 'Không tìm thấy.' } } };
    if (answer === 'network-down') throw new TypeError('Failed to fetch');
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetch);
  return {
    calls,
    /** The bodies the desk POSTed to a path, in order. */
    posted: (path: string) => calls.filter((c) => c.method === 'POST' && c.path === path).map((c) => c.body),
    on(key: string, route: Route) {
      all[key] = route;
    },
  };
}

/** Answers one after another (the last one again once they run out). */
export function inTurn(...answers: Answer[]): Route {
  let i = 0;
  return () => answers[Math.min(i++, answers.length - 1)]!;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
// jsdom lays nothing out: the form's scroll into view is a no-op here.
Element.prototype.scrollIntoView ??= function scrollIntoView() {};

export function renderInApp(ui: React.ReactElement) {
  return render(<Providers lang="vi">{ui}</Providers>);
}

export const ROOMS = [
  { code: 'P01', name: 'Phòng khám Nội 1' },
  { code: 'P02', name: 'Phòng khám Ngoại 2' },
];

/** 201 (or 200 with `created: false`) from POST /api/v1/checkins. */
export function checkedIn(over: Partial<CheckinResponse> = {}): CheckinResponse {
  return {
    created: true,
    message: 'Đã tiếp đón: số 7, Phòng khám Nội 1.',
    encounter: {
      id: '00000000-0000-4000-8000-00000000e007',
      number: '58999-261201-P01-007',
      queueNumber: 7,
      roomCode: 'P01',
      roomName: 'Phòng khám Nội 1',
      status: 'CHECKED_IN',
      identificationMethod: 'TYPED_ID',
      trustLevel: 'TYPED',
      payer: 'SELF_PAY',
      visitType: 'OUTPATIENT',
      priority: 'NORMAL',
      bhytVerification: null,
      checkedInAt: '2026-12-01T01:30:00.000Z',
    },
    patient: {
      id: '00000000-0000-4000-8000-00000000a007',
      fullName: 'Nguyễn Thị Thử',
      birthDate: '1958-03-12',
      sex: 'F',
      address: 'Số 1 Đường Mẫu, Phường Mẫu',
      identifiers: [{ system: 'PERSONAL_ID', masked: '********0001' }],
    },
    identity: { kind: 'PERSONAL_ID', personalId: '058158000001' },
    warnings: [],
    bhytMessage: null,
    ...over,
  };
}

/** A CCCD's chip-card QR, as the server parsed it (synthetic person). */
export const CARD = {
  kind: 'CCCD_QR',
  personalId: '058158000001',
  fullName: 'Nguyễn Thị Thử',
  dateOfBirth: '1958-03-12',
  sex: 'F',
  address: 'Số 1 Đường Mẫu, Phường Mẫu',
} as const;

/** 404 from POST /api/v1/checkins: nobody with this identity; the form opens pre-filled from `identity`. */
export function notFound(over: Partial<CheckinNotFoundResponse> = {}): CheckinNotFoundResponse {
  return {
    error: { code: 'PATIENT_NOT_FOUND', message: 'Chưa có hồ sơ người bệnh này.' },
    identity: { ...CARD },
    candidates: [],
    warnings: [],
    his: null,
    ...over,
  };
}
