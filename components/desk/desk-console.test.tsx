// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MESSAGES } from '@/lib/i18n/messages';
import { PRIORITIES } from '@/lib/codes';
import { DeskConsole } from './desk-console';
import { CARD, checkedIn, inTurn, notFound, renderInApp, ROOMS, stubServer } from './test-desk';

/** What a receptionist relies on at the desk, with the API answering as it does (test-desk.tsx). */
const t = MESSAGES.vi;
const RAW = '058158000001';

/**
 * `user` keys at a person's pace (100 ms apart); `scanner` as a keyboard-wedge scanner does (no gap): the desk
 * tells them apart by speed, and takes a burst typed into a form field back out of it as a scan.
 */
function renderDesk(initialRoom = 'P01') {
  const user = userEvent.setup({ delay: 100 });
  const scanner = userEvent.setup({ delay: null });
  renderInApp(<DeskConsole rooms={ROOMS} initialRoom={initialRoom} priorities={[...PRIORITIES]} />);
  const scanField = screen.getByRole('textbox', { name: t.scan.boxLabel });
  return { user, scanner, scanField };
}
const dateOfBirth = (form: HTMLElement) =>
  within(form).getByRole('textbox', { name: new RegExp(`^${t.desk.form.dateOfBirth}`) });
const queueNumber = () => screen.findByTestId('queue-number');

describe('desk: scan or type an identity', () => {
  it('typing a personal ID and Enter checks in with the desk options; the queue number shows and the scan field is ready again', async () => {
    const server = stubServer({ 'POST /api/v1/checkins': () => ({ status: 201, body: checkedIn() }) });
    const { user, scanField } = renderDesk();
    expect(scanField).toHaveProperty('value', '');
    expect(document.activeElement).toBe(scanField);

    await user.type(scanField, `${RAW}{Enter}`);

    expect((await queueNumber()).textContent).toBe('7');
    expect(server.posted('/api/v1/checkins')).toEqual([{ roomCode: 'P01', visitType: 'OUTPATIENT', raw: RAW }]);
    expect(screen.getByTestId('checkin-message').textContent).toBe('Số thứ tự 7 — Phòng khám Nội 1');
    expect(
      within(screen.getByRole('region', { name: t.desk.result.region })).getByTestId('sent-identifier').textContent,
    ).toBe('058 158 000001');
    expect(scanField).toHaveProperty('value', '');
    await waitFor(() => expect(document.activeElement).toBe(scanField));
  });

  it('the chosen room, visit type, payer and priority go with the scan', async () => {
    const server = stubServer({ 'POST /api/v1/checkins': () => ({ status: 201, body: checkedIn() }) });
    const { user, scanField } = renderDesk();
    await user.selectOptions(screen.getByRole('combobox', { name: t.desk.room }), 'P02');
    await user.selectOptions(screen.getByRole('combobox', { name: t.desk.visitType }), 'EMERGENCY');
    await user.selectOptions(screen.getByRole('combobox', { name: t.desk.payer }), 'BHYT');
    await user.selectOptions(screen.getByRole('combobox', { name: t.desk.priority }), 'ELDERLY');
    await user.click(scanField);
    await user.keyboard(`${RAW}{Enter}`);
    await queueNumber();
    expect(server.posted('/api/v1/checkins')).toEqual([
      { roomCode: 'P02', visitType: 'EMERGENCY', payer: 'BHYT', priority: 'ELDERLY', raw: RAW },
    ]);
  });

  it('without a room nothing is sent: the desk asks for one and keeps the scan for after', async () => {
    const server = stubServer({ 'POST /api/v1/checkins': () => ({ status: 201, body: checkedIn() }) });
    const { user, scanField } = renderDesk('');
    expect(screen.getByRole('alert').textContent).toBe(t.desk.roomFirst);
    await user.type(scanField, `${RAW}{Enter}`);
    expect(server.posted('/api/v1/checkins')).toEqual([]);
    expect(document.activeElement).toBe(screen.getByRole('combobox', { name: t.desk.room }));
    await user.selectOptions(screen.getByRole('combobox', { name: t.desk.room }), 'P01');
    await user.click(within(screen.getByTestId('held-scan')).getByRole('button', { name: t.desk.held.useNow }));
    expect((await queueNumber()).textContent).toBe('7');
    expect(server.posted('/api/v1/checkins')).toEqual([{ roomCode: 'P01', visitType: 'OUTPATIENT', raw: RAW }]);
  });
});

describe('desk: nobody with that identity', () => {
  it('the new-patient form opens pre-filled from the card; Enter creates the record and checks in; focus back on the scan field', async () => {
    const server = stubServer({
      'POST /api/v1/checkins': inTurn({ status: 404, body: notFound() }, { status: 201, body: checkedIn() }),
    });
    const { user, scanner, scanField } = renderDesk();
    await scanner.type(scanField, `${RAW}{Enter}`);

    const form = await screen.findByRole('form', { name: t.desk.form.name });
    expect(within(form).getByRole('status').textContent).toBe(t.desk.form.notFound);
    expect(within(form).getByLabelText(t.desk.form.fullName)).toHaveProperty('value', CARD.fullName);
    expect(dateOfBirth(form)).toHaveProperty('value', '12/03/1958');
    expect(within(form).getByLabelText(t.desk.form.sex)).toHaveProperty('value', 'F');
    expect(within(form).getByLabelText(t.desk.form.address)).toHaveProperty('value', CARD.address);
    expect(within(form).getByTestId('form-identifier').textContent).toBe('058 158 000001');
    // Everything came from the card: the send button has the focus, so Enter is enough.
    const create = within(form).getByRole('button', { name: new RegExp(t.desk.form.create) });
    await waitFor(() => expect(document.activeElement).toBe(create));

    await user.keyboard('{Enter}');
    expect((await queueNumber()).textContent).toBe('7');
    expect(server.posted('/api/v1/checkins')[1]).toEqual({
      roomCode: 'P01',
      visitType: 'OUTPATIENT',
      raw: RAW,
      newPatient: { fullName: CARD.fullName, dateOfBirth: '1958-03-12', sex: 'F', address: CARD.address },
    });
    expect(screen.queryByRole('form', { name: t.desk.form.name })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(scanField));
  });

  it('a typed number brings no details: focus on the name, and what is missing is said next to its field', async () => {
    const server = stubServer({
      'POST /api/v1/checkins': () => ({
        status: 404,
        body: notFound({ identity: { kind: 'PERSONAL_ID', personalId: RAW } }),
      }),
    });
    const { user, scanner, scanField } = renderDesk();
    await scanner.type(scanField, `${RAW}{Enter}`);
    const form = await screen.findByRole('form', { name: t.desk.form.name });
    const name = within(form).getByLabelText(t.desk.form.fullName);
    await waitFor(() => expect(document.activeElement).toBe(name));
    expect(within(form).getByText(t.desk.form.typedId, { exact: false })).toBeTruthy();

    await user.type(name, 'Trần Mẫu{Enter}');
    expect(within(form).getByText(t.desk.form.needDob)).toBeTruthy();
    expect(within(form).getByText(t.desk.form.needSex)).toBeTruthy();
    expect(document.activeElement).toBe(dateOfBirth(form));
    expect(server.posted('/api/v1/checkins')).toHaveLength(1); // nothing sent until the form is complete
  });

  it('a likely duplicate is offered first and chosen by default: Enter checks in the existing record, no second one', async () => {
    const candidate = {
      token: 'tok-1',
      fullName: 'Nguyễn Thị T***',
      birthYear: 1958,
      sex: 'F' as const,
      identifiers: [{ system: 'BHYT_CARD' as const, masked: 'GD47958*****001' }],
    };
    const server = stubServer({
      'POST /api/v1/checkins': inTurn(
        { status: 404, body: notFound({ candidates: [candidate] }) },
        { status: 200, body: checkedIn({ created: false }) },
      ),
    });
    const { user, scanner, scanField } = renderDesk();
    await scanner.type(scanField, `${RAW}{Enter}`);

    const duplicates = await screen.findByRole('group', { name: t.desk.form.candidates });
    const same = within(duplicates).getByRole('radio', { name: 'Đây là cùng một người: Nguyễn Thị T***' });
    expect(same).toHaveProperty('checked', true);
    expect(within(duplicates).getByText(/sinh năm 1958, Nữ/)).toBeTruthy();
    const use = screen.getByRole('button', { name: new RegExp(t.desk.form.useRecord) });
    await waitFor(() => expect(document.activeElement).toBe(use));
    await user.keyboard('{Enter}');

    expect((await queueNumber()).textContent).toBe('7');
    expect(server.posted('/api/v1/checkins')[1]).toEqual({
      roomCode: 'P01',
      visitType: 'OUTPATIENT',
      raw: RAW,
      samePatientToken: 'tok-1',
    });
    expect(screen.getByTestId('checkin-message').textContent).toMatch(/^Đã tiếp đón lúc \d\d:\d\d — số 7$/);
  });

  it('"not the same person" opens the fields and creates a new record', async () => {
    const candidate = {
      token: 'tok-1',
      fullName: 'Nguyễn Thị T***',
      birthYear: 1958,
      sex: 'F' as const,
      identifiers: [],
    };
    const server = stubServer({
      'POST /api/v1/checkins': inTurn(
        { status: 404, body: notFound({ candidates: [candidate] }) },
        { status: 201, body: checkedIn() },
      ),
    });
    const { user, scanner, scanField } = renderDesk();
    await scanner.type(scanField, `${RAW}{Enter}`);
    await user.click(await screen.findByRole('radio', { name: t.desk.form.newPerson }));
    await user.click(screen.getByRole('button', { name: new RegExp(t.desk.form.create) }));
    await queueNumber();
    expect(server.posted('/api/v1/checkins')[1]).toMatchObject({ newPatient: { fullName: CARD.fullName } });
  });

  it('Esc closes the form without sending and the scan field takes the next person', async () => {
    const server = stubServer({ 'POST /api/v1/checkins': () => ({ status: 404, body: notFound() }) });
    const { user, scanner, scanField } = renderDesk();
    await scanner.type(scanField, `${RAW}{Enter}`);
    await screen.findByRole('form', { name: t.desk.form.name });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('form', { name: t.desk.form.name })).toBeNull();
    expect(document.activeElement).toBe(scanField);
    expect(server.posted('/api/v1/checkins')).toHaveLength(1);
  });
});

describe('desk: when something goes wrong (Vietnamese, nothing typed is lost)', () => {
  it("the server's refusal is shown as it said it; focus returns to the scan field for a corrected scan", async () => {
    stubServer({
      'POST /api/v1/checkins': () => ({
        status: 400,
        body: { error: { code: 'INVALID_IDENTITY', message: 'Số định danh cá nhân phải gồm 12 chữ số.' } },
      }),
    });
    const { scanField, user } = renderDesk();
    await user.type(scanField, '05815800{Enter}');
    const alert = await screen.findByTestId('desk-error');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toBe('Số định danh cá nhân phải gồm 12 chữ số.');
    expect(within(alert).queryByRole('button')).toBeNull(); // the same again would fail again
    await waitFor(() => expect(document.activeElement).toBe(scanField));
  });

  it('a server failure offers "Gửi lại" (focused); it sends the same scan again', async () => {
    const server = stubServer({
      'POST /api/v1/checkins': inTurn(
        {
          status: 500,
          body: { error: { code: 'INTERNAL', message: 'Lỗi hệ thống. Vui lòng thử lại hoặc báo bộ phận CNTT.' } },
        },
        { status: 201, body: checkedIn() },
      ),
    });
    const { user, scanner, scanField } = renderDesk();
    await scanner.type(scanField, `${RAW}{Enter}`);
    const alert = await screen.findByTestId('desk-error');
    expect(alert.textContent).toContain('Lỗi hệ thống. Vui lòng thử lại hoặc báo bộ phận CNTT.');
    const retry = within(alert).getByRole('button', { name: t.desk.problem.retry });
    await waitFor(() => expect(document.activeElement).toBe(retry));
    await user.keyboard('{Enter}');
    expect((await queueNumber()).textContent).toBe('7');
    expect(server.posted('/api/v1/checkins')).toEqual([
      { roomCode: 'P01', visitType: 'OUTPATIENT', raw: RAW },
      { roomCode: 'P01', visitType: 'OUTPATIENT', raw: RAW },
    ]);
  });

  it('no network: the desk says so in Vietnamese, with "Gửi lại"', async () => {
    stubServer({ 'POST /api/v1/checkins': () => 'network-down' });
    const { scanner, scanField } = renderDesk();
    await scanner.type(scanField, `${RAW}{Enter}`);
    const alert = await screen.findByTestId('desk-error');
    expect(alert.textContent).toContain(t.desk.problem.network);
    expect(within(alert).getByRole('button', { name: t.desk.problem.retry })).toBeTruthy();
  });

  it('a field the server refuses is marked in the form, focused, and everything typed stays', async () => {
    stubServer({
      'POST /api/v1/checkins': inTurn(
        { status: 404, body: notFound() },
        {
          status: 400,
          body: {
            error: {
              code: 'VALIDATION',
              message: 'Dữ liệu không hợp lệ: Ngày sinh không hợp lệ.',
              issues: [{ path: 'newPatient.dateOfBirth', message: 'Ngày sinh không hợp lệ.' }],
            },
          },
        },
      ),
    });
    const { user, scanner, scanField } = renderDesk();
    await scanner.type(scanField, `${RAW}{Enter}`);
    const form = await screen.findByRole('form', { name: t.desk.form.name });
    await user.clear(within(form).getByLabelText(t.desk.form.address));
    await user.type(within(form).getByLabelText(t.desk.form.address), 'Thôn Mới');
    await user.click(within(form).getByRole('button', { name: new RegExp(t.desk.form.create) }));

    expect((await within(form).findByRole('alert')).textContent).toBe(t.desk.problem.fields);
    const dob = dateOfBirth(form);
    expect(within(form).getByText('Ngày sinh không hợp lệ.')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(dob));
    expect(within(form).getByLabelText(t.desk.form.address)).toHaveProperty('value', 'Thôn Mới');
    expect(within(form).getByLabelText(t.desk.form.fullName)).toHaveProperty('value', CARD.fullName);
  });

  it('the session ended while the form is open: the form stays, with a sign-in link for another tab', async () => {
    stubServer({
      'POST /api/v1/checkins': inTurn(
        { status: 404, body: notFound() },
        { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'Chưa đăng nhập hoặc phiên đã hết hạn.' } } },
      ),
    });
    const { user, scanner, scanField } = renderDesk();
    await scanner.type(scanField, `${RAW}{Enter}`);
    const form = await screen.findByRole('form', { name: t.desk.form.name });
    await user.click(within(form).getByRole('button', { name: new RegExp(t.desk.form.create) }));
    const alert = await within(form).findByRole('alert');
    expect(alert.textContent).toContain(t.desk.problem.session);
    expect(within(alert).getByRole('link', { name: t.desk.problem.signIn }).getAttribute('target')).toBe('_blank');
    expect(within(form).getByLabelText(t.desk.form.fullName)).toHaveProperty('value', CARD.fullName);
  });

  it('already checked in today in another room: asked first, sent again only when confirmed', async () => {
    const server = stubServer({
      'POST /api/v1/checkins': inTurn(
        {
          status: 409,
          body: {
            error: {
              code: 'SEEN_TODAY_OTHER_ROOM',
              message: 'Người bệnh đã được tiếp đón hôm nay ở phòng khác.',
              patient: { fullName: 'Nguyễn Thị Thử' },
              visits: [
                {
                  roomCode: 'P02',
                  roomName: 'Phòng khám Ngoại 2',
                  queueNumber: 3,
                  checkedInAt: '2026-12-01T01:00:00.000Z',
                },
              ],
            },
          },
        },
        { status: 201, body: checkedIn() },
      ),
    });
    const { user, scanner, scanField } = renderDesk();
    await scanner.type(scanField, `${RAW}{Enter}`);
    const dialog = await screen.findByRole('alertdialog', { name: t.desk.secondRoom.title });
    expect(dialog.textContent).toContain('Nguyễn Thị Thử');
    expect(dialog.textContent).toContain('Phòng khám Ngoại 2');
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
    await user.keyboard('{Enter}');
    await queueNumber();
    expect(server.posted('/api/v1/checkins')[1]).toEqual({
      roomCode: 'P01',
      visitType: 'OUTPATIENT',
      raw: RAW,
      confirmSecondRoom: true,
    });
  });
});
