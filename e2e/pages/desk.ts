import { expect, type Locator, type Page } from '@playwright/test';
import { MESSAGES } from '../../lib/i18n/messages';

/**
 * The reception desk (/tiep-don) as a receptionist drives it, for the browser tests: one place that knows its
 * labels (from the catalogue the screen itself uses) and how a scanner types, so a spec reads as the steps at the
 * counter and a change of the screen's wording or structure is made here once.
 */
const t = MESSAGES.vi;

export type NewPatient = { fullName?: string; dateOfBirth?: string; sex?: 'M' | 'F'; address?: string };

export class DeskPage {
  /** The always-ready scan box (a keyboard-wedge scanner types into it; so can a person). */
  readonly scanField: Locator;
  readonly room: Locator;
  /** The result card of the last check-in. */
  readonly result: Locator;
  readonly queueNumber: Locator;
  /** "Số thứ tự 7 — Phòng khám Nội 1", or "Đã tiếp đón lúc 08:30 — số 7". */
  readonly message: Locator;
  /** What went wrong with the last scan or send (role alert). */
  readonly error: Locator;
  /** "Already checked in today in another room": the question before a second room. */
  readonly secondRoom: Locator;
  /** Today's check-ins in the chosen room. */
  readonly today: Locator;
  readonly form: NewPatientForm;

  constructor(readonly page: Page) {
    this.scanField = page.getByLabel(t.scan.boxLabel);
    this.room = page.getByLabel(t.desk.room);
    this.result = page.getByRole('region', { name: t.desk.result.region });
    this.queueNumber = page.getByTestId('queue-number');
    this.message = page.getByTestId('checkin-message');
    this.error = page.getByTestId('desk-error');
    this.secondRoom = page.getByRole('alertdialog');
    this.today = page.getByRole('region', { name: t.desk.today.region });
    this.form = new NewPatientForm(page);
  }

  async goto() {
    await this.page.goto('/tiep-don');
    await expect(this.scanField).toBeVisible();
  }

  async chooseRoom(code: string) {
    await this.room.selectOption(code);
  }

  /** As a keyboard-wedge scanner does: ≈5 ms per key, then its Enter. Focus is where the scan left it. */
  async scan(payload: string) {
    await this.scanField.focus();
    await this.page.keyboard.type(payload, { delay: 5 });
    await this.page.keyboard.press('Enter');
  }

  /** As a person types a number into the box (spaces allowed) and presses Enter. */
  async type(identity: string) {
    await this.scanField.fill(identity);
    await this.scanField.press('Enter');
  }

  /** Waits for a check-in's result (created, or "already today" with `existing`) in the room named; the queue number. */
  async checkedIn(room: string | RegExp = /.+/, { existing = false } = {}): Promise<number> {
    await expect(this.message).toHaveText(
      existing
        ? /^Đã tiếp đón lúc \d\d:\d\d — số \d+$/
        : new RegExp(`^Số thứ tự \\d+ — ${typeof room === 'string' ? escape(room) : room.source}$`),
    );
    return Number(await this.queueNumber.textContent());
  }

  /** The second-room question: check in there too (Enter on its focused confirm button). */
  async confirmSecondRoom() {
    await expect(this.secondRoom).toBeVisible();
    await this.page.keyboard.press('Enter');
  }

  /** The result card's row of a field ('Họ tên', 'Địa chỉ', …) where the card differs from the record. */
  differing(): Locator {
    return this.result.locator('tr[data-differs]');
  }

  async updateFromCard(field: string) {
    await this.differing()
      .filter({ hasText: field })
      .getByRole('button', { name: t.desk.result.updateFromCard })
      .click();
  }

  async expectReadyForNext() {
    await expect(this.scanField).toBeFocused();
  }
}

/** The new-patient form that a not-found scan opens, pre-filled from the card. */
export class NewPatientForm {
  readonly root: Locator;
  readonly fullName: Locator;
  readonly dateOfBirth: Locator;
  readonly sex: Locator;
  readonly address: Locator;
  /** The likely duplicates offered before a new record. */
  readonly duplicates: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByRole('form', { name: t.desk.form.name });
    this.fullName = this.root.getByLabel(t.desk.form.fullName);
    this.dateOfBirth = this.root.getByLabel(t.desk.form.dateOfBirth);
    this.sex = this.root.getByLabel(t.desk.form.sex);
    this.address = this.root.getByLabel(t.desk.form.address);
    this.duplicates = this.root.getByRole('group', { name: t.desk.form.candidates });
  }

  /** The radio of a likely duplicate, by the (masked) name shown. */
  candidate(name: string): Locator {
    return this.root.getByRole('radio', { name: t.desk.form.same.replace('{name}', name) });
  }

  /** Fills what is given; the date as typed at the desk (dd/MM/yyyy or a year). */
  async fill(person: NewPatient) {
    if (person.fullName !== undefined) await this.fullName.fill(person.fullName);
    if (person.dateOfBirth !== undefined) await this.dateOfBirth.fill(person.dateOfBirth);
    if (person.sex !== undefined) await this.sex.selectOption(person.sex);
    if (person.address !== undefined) await this.address.fill(person.address);
  }

  async expectPrefilled(person: NewPatient) {
    await expect(this.root).toBeVisible();
    if (person.fullName !== undefined) await expect(this.fullName).toHaveValue(person.fullName);
    if (person.dateOfBirth !== undefined) await expect(this.dateOfBirth).toHaveValue(person.dateOfBirth);
    if (person.sex !== undefined) await expect(this.sex).toHaveValue(person.sex);
    if (person.address !== undefined) await expect(this.address).toHaveValue(person.address);
  }

  /** "Tạo hồ sơ và tiếp đón". */
  async create() {
    await this.root.getByRole('button', { name: new RegExp(escape(t.desk.form.create)) }).click();
  }

  /** "Dùng hồ sơ này và tiếp đón" with Enter, as at the desk (the existing record is chosen by default). */
  async useRecord() {
    await this.root.getByRole('button', { name: new RegExp(escape(t.desk.form.useRecord)) }).focus();
    await this.page.keyboard.press('Enter');
  }

  async reveal() {
    await this.root.getByRole('button', { name: t.desk.form.reveal }).click();
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
