// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { MESSAGES } from '@/lib/i18n/messages';
import { POLL_HEADER } from '@/lib/auth/polling';
import type { EncounterListResponse } from '@/lib/encounters/list';
import { TodayList } from './today-list';
import { renderInApp, stubServer } from './test-desk';

/** Today's check-ins in the room: what the receptionist glances at (masked IDs, the HIS state in words). */
const t = MESSAGES.vi;
const l = t.desk.today;
type Row = EncounterListResponse['encounters'][number];
const row = (over: Partial<Row> = {}): Row => ({
  id: '00000000-0000-4000-8000-00000000e001',
  number: '58999-261201-P01-001',
  queueNumber: 1,
  status: 'CHECKED_IN',
  identificationMethod: 'CCCD_QR',
  payer: 'SELF_PAY',
  priority: 'NORMAL',
  bhytVerification: null,
  checkedInAt: '2026-12-01T01:05:00.000Z',
  room: { code: 'P01', name: 'Phòng khám Nội 1' },
  handoff: { status: 'DELIVERED', lastError: null },
  patient: {
    id: '00000000-0000-4000-8000-00000000a001',
    fullName: 'Trần Văn Một',
    birthDate: '1970-01-01',
    personalIdMasked: '********0001',
  },
  ...over,
});

describe("today's list", () => {
  it('lists the room’s check-ins with masked IDs and labels, polled in the background for that room', async () => {
    const server = stubServer({
      'GET /api/v1/encounters': () => ({
        status: 200,
        body: {
          date: '2026-12-01',
          encounters: [
            row({
              id: 'e2',
              queueNumber: 2,
              identificationMethod: 'TYPED_BHYT',
              payer: 'BHYT',
              bhytVerification: 'VERIFIED',
              handoff: { status: 'PARKED', lastError: 'AE: Sai mã thẻ' },
              patient: { id: 'p2', fullName: 'Lê Thị Hai', birthDate: '1980', personalIdMasked: null },
            }),
            row(),
          ],
        } satisfies EncounterListResponse,
      }),
    });
    renderInApp(<TodayList roomCode="P01" refreshKey={0} />);
    const list = screen.getByRole('region', { name: l.region });
    await waitFor(() =>
      expect(within(list).getByRole('heading').textContent).toBe(`${l.title.replace('{room}', 'P01')} (2)`),
    );
    const [, second, first] = within(list).getAllByRole('row');
    expect([...second!.querySelectorAll('td')].map((c) => c.textContent)).toEqual([
      '2',
      '08:05',
      'Lê Thị Hai',
      '—',
      t.codes.method.TYPED_BHYT,
      t.codes.bhytVerification.VERIFIED,
      t.codes.handoffStatus.PARKED,
    ]);
    expect(second!.querySelectorAll('td')[6]!.getAttribute('title')).toBe('AE: Sai mã thẻ');
    expect([...first!.querySelectorAll('td')].map((c) => c.textContent)).toEqual([
      '1',
      '08:05',
      'Trần Văn Một',
      '********0001',
      t.codes.method.CCCD_QR,
      t.codes.payer.SELF_PAY,
      t.codes.handoffStatus.DELIVERED,
    ]);
    const poll = server.calls.find((c) => c.path === '/api/v1/encounters')!;
    expect(poll.query.get('roomCode')).toBe('P01');
    expect(poll.headers.get(POLL_HEADER)).toBe('1'); // not activity: the idle sign-out still happens
  });

  it('nobody yet: says so', async () => {
    stubServer();
    renderInApp(<TodayList roomCode="P02" refreshKey={0} />);
    expect(await screen.findByText(l.empty)).toBeTruthy();
  });

  it('the list cannot be loaded: says so in Vietnamese', async () => {
    stubServer({
      'GET /api/v1/encounters': () => ({
        status: 500,
        body: { error: { code: 'INTERNAL', message: 'Lỗi hệ thống.' } },
      }),
    });
    renderInApp(<TodayList roomCode="P01" refreshKey={0} />);
    expect(await screen.findByText(l.loadError, undefined, { timeout: 5_000 })).toBeTruthy();
  });
});
