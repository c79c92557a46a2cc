// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { useState } from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MESSAGES } from '@/lib/i18n/messages';
import type { CheckinResponse } from '@/lib/encounters/check-in';
import { CheckinResult } from './checkin-result';
import { CARD, checkedIn, renderInApp, stubServer } from './test-desk';

/** The result card: the queue number, what was sent, and the card against the record (updated from the card). */
const t = MESSAGES.vi;
const r = t.desk.result;

/** As the desk holds it: a corrected patient replaces the one shown. */
function Desk({
  initial,
  onPrint = () => {},
  printProblem = null,
}: {
  initial: CheckinResponse;
  onPrint?: () => void;
  printProblem?: string | null;
}) {
  const [result, setResult] = useState(initial);
  return (
    <CheckinResult
      result={result}
      onPrint={onPrint}
      printProblem={printProblem}
      onUpdated={(patient) => setResult({ ...result, patient })}
    />
  );
}

/** A returning patient whose record was typed without diacritics and has an old address. */
const fromCard = () =>
  checkedIn({
    created: false,
    identity: { ...CARD },
    patient: { ...checkedIn().patient, fullName: 'Nguyen Thi Thu', address: 'Thôn Cũ, Tỉnh Ninh Thuận' },
    encounter: { ...checkedIn().encounter, identificationMethod: 'CCCD_QR', trustLevel: 'CARD_VERIFIED' },
  });
const rowOf = (field: string) => screen.getByRole('row', { name: new RegExp(`^${field}`) });

describe('the result card', () => {
  it('shows the queue number, room, encounter, the number sent (grouped) and the stored identifiers masked', async () => {
    stubServer();
    const print = vi.fn();
    renderInApp(<Desk initial={checkedIn()} onPrint={print} />);
    const card = screen.getByRole('region', { name: r.region });
    expect(within(card).getByTestId('queue-number').textContent).toBe('7');
    expect(within(card).getByText('58999-261201-P01-007')).toBeTruthy();
    expect(within(card).getByTestId('checkin-message').textContent).toBe('Số thứ tự 7 — Phòng khám Nội 1');
    expect(within(card).getByTestId('sent-identifier').textContent).toBe('058 158 000001');
    expect(within(card).getByTestId('stored-identifiers').textContent).toBe(
      `${t.codes.identifier.PERSONAL_ID} ********0001`,
    );
    expect(within(card).getByText(t.codes.method.TYPED_ID)).toBeTruthy();
    expect(within(card).getByText(t.codes.payer.SELF_PAY)).toBeTruthy();
    // A typed number has no details to compare: no card column.
    expect(within(card).queryByRole('columnheader', { name: r.onCard })).toBeNull();
    await userEvent.setup().click(within(card).getByRole('button', { name: new RegExp(r.print) }));
    expect(print).toHaveBeenCalledTimes(1);
  });

  it('a print that could not open is said as an alert on the card', () => {
    stubServer();
    renderInApp(<Desk initial={checkedIn()} printProblem={r.printFailed} />);
    expect(within(screen.getByRole('region', { name: r.region })).getByRole('alert').textContent).toBe(r.printFailed);
  });

  it('the card differs from the record: those rows are marked; "update from card" stores the card value and the row is clean', async () => {
    const server = stubServer({
      'POST /api/v1/patients/*/demographics': ({ body }) => ({
        status: 200,
        body: { patient: { ...fromCard().patient, ...(body as { change: object }).change } },
      }),
    });
    renderInApp(<Desk initial={fromCard()} />);
    const card = screen.getByRole('region', { name: r.region });
    expect(within(card).getByTestId('checkin-message').textContent).toMatch(/^Đã tiếp đón lúc \d\d:\d\d — số 7$/);
    expect(card.querySelectorAll('tr[data-differs]')).toHaveLength(2);
    expect(rowOf(r.fields.fullName).hasAttribute('data-differs')).toBe(true);
    expect(rowOf(r.fields.address).hasAttribute('data-differs')).toBe(true);
    expect(rowOf(r.fields.dateOfBirth).hasAttribute('data-differs')).toBe(false);
    expect(within(rowOf(r.fields.dateOfBirth)).getAllByText('12/03/1958')).toHaveLength(2);

    await userEvent.setup().click(within(rowOf(r.fields.fullName)).getByRole('button', { name: r.updateFromCard }));
    await waitFor(() => expect(rowOf(r.fields.fullName).hasAttribute('data-differs')).toBe(false));
    expect(server.posted(`/api/v1/patients/${fromCard().patient.id}/demographics`)).toEqual([
      { change: { fullName: CARD.fullName }, reason: 'Cập nhật từ thẻ tại quầy tiếp đón' },
    ]);
    expect(within(rowOf(r.fields.fullName)).getAllByText(CARD.fullName)).toHaveLength(2);
    expect(rowOf(r.fields.address).hasAttribute('data-differs')).toBe(true);
  });

  it("a refused update says the server's Vietnamese reason; no network says so; the record is unchanged", async () => {
    stubServer({
      'POST /api/v1/patients/*/demographics': () => ({
        status: 409,
        body: {
          error: { code: 'CHANGED_MEANWHILE', message: 'Hồ sơ vừa được người khác sửa. Tải lại trang rồi thử lại.' },
        },
      }),
    });
    renderInApp(<Desk initial={fromCard()} />);
    const user = userEvent.setup();
    await user.click(within(rowOf(r.fields.address)).getByRole('button', { name: r.updateFromCard }));
    const card = screen.getByRole('region', { name: r.region });
    expect((await within(card).findByRole('alert')).textContent).toBe(
      'Hồ sơ vừa được người khác sửa. Tải lại trang rồi thử lại.',
    );
    expect(rowOf(r.fields.address).hasAttribute('data-differs')).toBe(true);

    stubServer({ 'POST /api/v1/patients/*/demographics': () => 'network-down' });
    await user.click(within(rowOf(r.fields.address)).getByRole('button', { name: r.updateFromCard }));
    await waitFor(() => expect(within(card).getByRole('alert').textContent).toBe(t.desk.problem.network));
  });

  it("the identity's warnings and the BHYT answer are listed", () => {
    stubServer();
    renderInApp(
      <Desk
        initial={checkedIn({
          warnings: [{ code: 'CARD_EXPIRED', message: 'Thẻ BHYT đã hết hạn sử dụng.' }],
          bhytMessage: 'Cổng BHXH chưa trả lời: thẻ chưa được xác minh.',
          encounter: { ...checkedIn().encounter, payer: 'BHYT', bhytVerification: 'UNVERIFIED', priority: 'ELDERLY' },
        })}
      />,
    );
    const card = screen.getByRole('region', { name: r.region });
    expect(within(card).getByText(r.warnings)).toBeTruthy();
    expect(within(card).getByRole('listitem').textContent).toBe('Thẻ BHYT đã hết hạn sử dụng.');
    expect(within(card).getByText('Cổng BHXH chưa trả lời: thẻ chưa được xác minh.')).toBeTruthy();
    expect(within(card).getByText(t.codes.bhytVerification.UNVERIFIED)).toBeTruthy();
    expect(within(card).getByText(`Ưu tiên: ${t.codes.priority.ELDERLY}`)).toBeTruthy();
  });
});
