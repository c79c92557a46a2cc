// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { vi as viText } from '@/lib/i18n/vi';
import { stateOf, summarise, type EncounterHandoffs } from '@/lib/handoff/status';
import type { HandoffStatus as Status } from '@/lib/codes';
import type { EncounterListResponse } from '@/lib/encounters/list';
import { HandoffStatus } from '@/components/handoff/handoff-status';
import { TodayList } from './today-list';
import { renderInApp, stubServer } from './test-desk';

/**
 * "The HIS is down" and "no HIS configured yet" are not errors of the visit: the desk's hand-off badges say the
 * message is kept and waiting, in the catalogue's Vietnamese (lib/i18n/vi.ts) — never "HIS từ chối".
 */
const WAITING = {
  WAITING_CONNECTION: 'HIS chưa nhận — đang chờ kết nối',
  WAITING_CONFIG: 'Chưa cấu hình HIS — tin được giữ, sẽ gửi khi có địa chỉ',
} as const;

const encounterId = '00000000-0000-4000-8000-00000000e007';

/** What GET /api/v1/encounters/{id}/handoffs answers for one A04 in `status` (as lib/handoff/status.ts derives it). */
function handoffsOf(status: Status): EncounterHandoffs {
  const messages = [
    {
      id: '1',
      target: 'HL7V2',
      event: 'A04',
      status,
      state: stateOf(status, null),
      attempts: 0,
      lastError: status === 'WAITING_CONNECTION' ? 'ECONNREFUSED: connect ECONNREFUSED 10.0.0.5:2575' : null,
      externalRef: null,
      createdAt: '2026-12-01T01:30:00.000Z',
      deliveredAt: null,
      nextAttemptAt: '2026-12-01T01:30:00.000Z',
    },
  ];
  return { ...summarise(messages), messages, log: [] };
}

describe("the desk's hand-off badge while a message waits for its HIS", () => {
  it('the catalogue words them as waiting, not failed', () => {
    expect(viText.codes.handoffStatus.WAITING_CONNECTION).toBe(WAITING.WAITING_CONNECTION);
    expect(viText.codes.handoffStatus.WAITING_CONFIG).toBe(WAITING.WAITING_CONFIG);
    expect(viText.handoff.state[stateOf('WAITING_CONNECTION', null)]).toBe(WAITING.WAITING_CONNECTION);
    expect(viText.handoff.state[stateOf('WAITING_CONFIG', null)]).toBe(WAITING.WAITING_CONFIG);
  });

  for (const status of ['WAITING_CONNECTION', 'WAITING_CONFIG'] as const) {
    it(`the check-in result's badge (polled) says ${status} in Vietnamese, in the waiting tone`, async () => {
      stubServer({ 'GET /api/v1/encounters/*/handoffs': () => ({ status: 200, body: handoffsOf(status) }) });
      renderInApp(<HandoffStatus encounterId={encounterId} pollMs={60_000} />);
      const badge = screen.getByRole('status');
      await waitFor(() => expect(badge.getAttribute('data-code')).toBe(stateOf(status, null)));
      expect(badge.textContent).toContain(WAITING[status]);
      expect(badge.textContent).not.toContain(viText.handoff.state.rejected);
      expect(badge.className).not.toMatch(/red|orange/); // not the colour of a rejection or a parked message
      expect(screen.queryByRole('button', { name: new RegExp(viText.handoff.retry) })).toBeNull(); // nothing for staff to do
    });
  }

  it("today's list shows each visit's waiting message in Vietnamese", async () => {
    const row = (id: string, queueNumber: number, status: Status): EncounterListResponse['encounters'][number] => ({
      id,
      number: `58999-261201-P01-00${queueNumber}`,
      queueNumber,
      status: 'CHECKED_IN',
      identificationMethod: 'CCCD_QR',
      payer: 'SELF_PAY',
      priority: 'NORMAL',
      bhytVerification: null,
      checkedInAt: '2026-12-01T01:05:00.000Z',
      room: { code: 'P01', name: 'Phòng khám Nội 1' },
      handoff: { status, lastError: null },
      patient: {
        id: `00000000-0000-4000-8000-00000000a00${queueNumber}`,
        fullName: `Người Thử ${queueNumber}`,
        birthDate: '1970-01-01',
        personalIdMasked: null,
      },
    });
    stubServer({
      'GET /api/v1/encounters': () => ({
        status: 200,
        body: {
          date: '2026-12-01',
          encounters: [row('e2', 2, 'WAITING_CONFIG'), row('e1', 1, 'WAITING_CONNECTION')],
        } satisfies EncounterListResponse,
      }),
    });
    renderInApp(<TodayList roomCode="P01" refreshKey={0} />);
    const list = screen.getByRole('region', { name: viText.desk.today.region });
    await waitFor(() => expect(within(list).getAllByRole('row')).toHaveLength(3));
    const badges = [...list.querySelectorAll('[data-code^="WAITING_"]')];
    expect(badges.map((b) => [b.getAttribute('data-code'), b.textContent])).toEqual([
      ['WAITING_CONFIG', WAITING.WAITING_CONFIG],
      ['WAITING_CONNECTION', WAITING.WAITING_CONNECTION],
    ]);
  });
});
