import { expect, test, type Page } from '@playwright/test';
import { randomInt } from 'node:crypto';
import { bhytNewPayload, bhytOldPayload, cccdPayload } from '../lib/identity/test-fixtures';
import { signIn, SAME_ORIGIN } from './fixtures';
import { DeskPage } from './pages/desk';

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
const personalId = (centurySex: string, yy: string) => `058${centurySex}${yy}${digits(6)}`;

async function encountersOf(page: Page, roomCode: string) {
  const response = await page.request.get(`/api/v1/encounters?roomCode=${roomCode}`);
  return (await response.json()).encounters as { id: string; queueNumber: number; patient: { fullName: string } }[];
}

test.describe('the reception desk', () => {
  let desk: DeskPage;
  test.beforeEach(async ({ page }) => {
    await signIn(page, 'letan');
    await expect(page).toHaveURL(/\/tiep-don$/);
    desk = new DeskPage(page);
  });

  test('a new patient from a Căn cước QR: pre-filled form, one keystroke, queue number, slip', async ({ page }) => {
    const id = personalId('1', '88');
    await desk.chooseRoom('P04');
    await desk.scan(
      cccdPayload({
        id,
        name: 'Đàng Thị Ngọc Ánh',
        dob: '14021988',
        sex: 'Nữ',
        address: '25 Yên Ninh, Phường Phủ Hà, Tỉnh Khánh Hòa',
        issued: '10092024',
        layout: '2024',
      }),
    );
    await desk.form.expectPrefilled({ fullName: 'Đàng Thị Ngọc Ánh', dateOfBirth: '14/02/1988', sex: 'F' });
    await page.screenshot({ path: 'test-results/screens/desk-new-patient.png', fullPage: true });
    await page.keyboard.press('Enter'); // the submit button has focus
    const queue = await desk.checkedIn('Phòng khám Nhi');
    await desk.expectReadyForNext();
    await expect(desk.today).toContainText('Đàng Thị Ngọc Ánh');
    await expect(desk.today).toContainText(`********${id.slice(8)}`);
    await page.screenshot({ path: 'test-results/screens/desk-checked-in.png', fullPage: true });

    const encounters = await encountersOf(page, 'P04');
    const mine = encounters.find((e) => e.patient.fullName === 'Đàng Thị Ngọc Ánh')!;
    expect(mine.queueNumber).toBe(queue);
    await page.goto(`/tiep-don/phieu/${mine.id}`);
    await expect(page.getByText(String(queue), { exact: true })).toBeVisible();
    await expect(page.getByText(`Số định danh cá nhân: ********${id.slice(8)}`)).toBeVisible();
    await page.setViewportSize({ width: 320, height: 640 });
    await page.screenshot({ path: 'test-results/screens/exam-slip.png', fullPage: true });
  });

  test('a returning patient from a BHYT QR, old and new card layouts', async () => {
    const bhxh = `58${digits(8)}`;
    const oldCard = bhytOldPayload({
      code: `HT358${bhxh}`,
      name: 'Trượng Văn Lộc',
      dob: '05/06/1949',
      sex: '1',
      address: 'Thôn Hữu Đức, Xã Phước Hữu, Tỉnh Khánh Hòa',
      facility: '58 - 003',
      from: '01/01/2026',
      to: '31/12/2026',
      issued: '20/12/2025',
      mgmt: `5801${bhxh}`,
      five: '01/01/2016',
    });
    const newCard = bhytNewPayload({
      code: bhxh,
      name: 'Trượng Văn Lộc',
      dob: '05/06/1949',
      sex: '1',
      facility: '58 – 003',
      from: '01/01/2026',
      to: '-',
      issued: '02/01/2026',
      mgmt: `5801${bhxh}`,
      five: ' 01/01/2016',
      level: '3',
      issuePlace: 'Tỉnh Khánh Hòa',
    });
    await desk.chooseRoom('P01');
    await desk.scan(oldCard);
    await desk.form.create();
    await desk.checkedIn('Phòng khám Nội 1');
    // Later the same day he comes back for another room, with the new card layout: found, not re-created.
    await desk.chooseRoom('P02');
    await desk.scan(newCard);
    await expect(desk.secondRoom).toContainText('Phòng khám Nội 1'); // seen today already: asked first
    await desk.confirmSecondRoom();
    await desk.checkedIn('Phòng khám Nội 2');
    await expect(desk.result).toContainText('BHYT chưa xác minh');
    await expect(desk.result).toContainText('Ưu tiên: Người từ 75 tuổi');
    await desk.chooseRoom('P03');
    await desk.scan(oldCard);
    await desk.secondRoom.getByRole('button', { name: /Tiếp đón thêm vào Phòng khám Ngoại/ }).click();
    await desk.checkedIn('Phòng khám Ngoại');
  });

  test('a scanner double beep submits once; a typed personal ID finds the same encounter', async ({ page }) => {
    const id = personalId('0', '70');
    const payload = cccdPayload({
      id,
      name: 'Lý Văn Bảy',
      dob: '07071970',
      sex: 'Nam',
      address: 'Phường Đô Vinh, Tỉnh Khánh Hòa',
      issued: '01022022',
    });
    await desk.chooseRoom('P05');
    await desk.scan(payload);
    await desk.form.create();
    await desk.checkedIn();
    await page.waitForTimeout(2_100); // past the 2 s window of the first scan
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/checkins')) posts.push(r.method());
    });
    await desk.scan(payload);
    await desk.scan(payload); // the scanner beeps twice
    await desk.checkedIn(undefined, { existing: true });
    await page.waitForTimeout(500);
    expect(posts).toEqual(['POST']);
    await desk.type(`${id.slice(0, 3)} ${id.slice(3, 6)} ${id.slice(6)}`);
    await desk.checkedIn(undefined, { existing: true });
    const mine = (await encountersOf(page, 'P05')).filter((e) => e.patient.fullName === 'Lý Văn Bảy');
    expect(mine).toHaveLength(1);
  });

  test('a returning patient whose card differs from the record: differences highlighted, updated from the card', async ({
    page,
  }) => {
    const id = personalId('0', '61');
    // An old record typed without diacritics and an old address.
    const seeded = await page.request.post('/api/v1/checkins', {
      headers: SAME_ORIGIN,
      data: {
        identifier: { system: 'PERSONAL_ID', value: id },
        roomCode: 'P01',
        newPatient: {
          fullName: 'Le Van Tam',
          dateOfBirth: '1961-08-08',
          sex: 'M',
          address: 'Khu phố 3, Phường Phủ Hà, Thành phố Phan Rang-Tháp Chàm, Tỉnh Ninh Thuận',
        },
      },
    });
    expect(seeded.status()).toBe(201);
    await desk.chooseRoom('P01');
    await desk.scan(
      cccdPayload({
        id,
        name: 'Lê Văn Tám',
        dob: '08081961',
        sex: 'Nam',
        address: 'Khu phố 3, Phường Phủ Hà, Tỉnh Khánh Hòa',
        issued: '15082025',
        layout: '2024',
      }),
    );
    await desk.checkedIn(undefined, { existing: true });
    await expect(desk.differing()).toHaveCount(2); // name and address
    await page.screenshot({ path: 'test-results/screens/desk-card-differs.png' });
    await desk.updateFromCard('Họ tên');
    await expect(desk.differing()).toHaveCount(1);
    await desk.updateFromCard('Địa chỉ');
    await expect(desk.differing()).toHaveCount(0);
    await expect(desk.result.getByRole('row', { name: /Họ tên/ })).toContainText('Lê Văn TámLê Văn Tám');
  });

  test('two desks checking the same patient in at once make one encounter', async ({ browser }) => {
    const id = personalId('0', '66');
    const body = {
      raw: cccdPayload({
        id,
        name: 'Chế Thị Hai Bàn',
        dob: '02021966',
        sex: 'Nữ',
        address: 'Xã Ninh Phước, Tỉnh Khánh Hòa',
        issued: '01012023',
      }),
      roomCode: 'P06',
      newPatient: { fullName: 'Chế Thị Hai Bàn', dateOfBirth: '1966-02-02', sex: 'F' },
    };
    const desks = await Promise.all([browser.newContext(), browser.newContext()]);
    const pages = await Promise.all(desks.map((c) => c.newPage()));
    await Promise.all(pages.map((p) => signIn(p, 'letan')));
    const responses = await Promise.all(
      pages.map((p) => p.request.post('/api/v1/checkins', { headers: SAME_ORIGIN, data: body })),
    );
    expect(responses.map((r) => r.status()).sort()).toEqual([200, 201]);
    const [a, b] = await Promise.all(responses.map((r) => r.json()));
    expect(a.encounter.id).toBe(b.encounter.id);
    expect((await encountersOf(pages[0]!, 'P06')).filter((e) => e.patient.fullName === 'Chế Thị Hai Bàn')).toHaveLength(
      1,
    );
    await Promise.all(desks.map((c) => c.close()));
  });

  test('an unreadable scan: a clear message, nothing saved, the box ready again', async ({ page }) => {
    const before = (await encountersOf(page, 'P07')).length;
    await desk.chooseRoom('P07');
    await desk.scan('https://example.invalid/qr?session=abc123');
    await expect(desk.error).toContainText(/[À-ỹ]/);
    await desk.expectReadyForNext();
    await page.screenshot({ path: 'test-results/screens/desk-bad-scan.png' });
    await desk.scan('0580123'); // a number of no known length
    await expect(desk.error).toBeVisible();
    expect((await encountersOf(page, 'P07')).length).toBe(before);
  });
});
