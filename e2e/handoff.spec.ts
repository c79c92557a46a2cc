import { expect, test } from '@playwright/test';
import { randomInt } from 'node:crypto';
import net from 'node:net';
import { createDb, type Db } from '../lib/db/client';
import { DEMO_FACILITY } from '../lib/db/demo';
import { localDayAsDate } from '../lib/time/local-day';
import { enqueueHandoff } from '../lib/handoff/outbox';
import { mllpSettingKey } from '../lib/handoff/config';
import { e2eDatabaseUrl, signIn, SAME_ORIGIN } from './fixtures';

/**
 * Managers' list of HIS hand-off messages that failed or were parked, with retry; and the per-encounter
 * hand-off API the desk badge polls. No worker runs in the e2e app, so a retried message stays "waiting".
 */
const SCREENS = `${process.env.E2E_OUTPUT ?? 'test-results'}/screens`;
let db: Db;

async function parkedEncounter(reason: string) {
  const facility = await db.facility.findUniqueOrThrow({ where: { code: DEMO_FACILITY.code } });
  const room = await db.room.findFirstOrThrow({ where: { facilityId: facility.id, code: 'P02' } });
  const patient = await db.patient.create({
    data: {
      fullName: 'Trịnh Văn Bàn Giao',
      normalizedName: 'trinh van ban giao',
      birthDate: '1985-03-04',
      birthYear: 1985,
      sex: 'M',
    },
  });
  const queueNumber = randomInt(5000, 9000);
  const encounter = await db.$transaction(async (tx) => {
    const e = await tx.encounter.create({
      data: {
        number: `E2E-HO-${queueNumber}-${randomInt(1e6)}`,
        facilityId: facility.id,
        patientId: patient.id,
        roomId: room.id,
        localDate: localDayAsDate(),
        queueNumber,
        identificationMethod: 'TYPED_ID',
        trustLevel: 'TYPED',
      },
    });
    await enqueueHandoff(tx, { encounterId: e.id, event: 'A04', targets: ['HL7V2'] });
    return e;
  });
  await db.handoffMessage.updateMany({
    where: { encounterId: encounter.id },
    data: { status: 'PARKED', attempts: 1, lastError: reason, lastAckCode: 'AE' },
  });
  return encounter;
}

test.beforeAll(async () => {
  db = createDb(await e2eDatabaseUrl(), 2);
});
test.afterAll(async () => {
  await db?.$disconnect();
});

test('a manager sees parked hand-off messages with the HIS reason and retries one', async ({ page }) => {
  const encounter = await parkedEncounter('Sai mã thẻ BHYT (AE)');
  await signIn(page, 'quanly');
  await page.goto('/bao-cao/ban-giao');
  await expect(page.getByRole('heading', { name: 'Bàn giao HIS — tin lỗi và tạm dừng' })).toBeVisible();
  const row = page.getByTestId('handoff-problem').filter({ hasText: encounter.number });
  await expect(row).toContainText('Tạm dừng — cần xử lý');
  await expect(row).toContainText('Sai mã thẻ BHYT (AE)');
  await page.screenshot({ path: `${SCREENS}/handoff-problems.png`, fullPage: true });

  const state = await page.request.get(`/api/v1/encounters/${encounter.id}/handoffs`);
  expect(state.status()).toBe(200);
  expect(await state.json()).toMatchObject({ state: 'parked', reason: 'Sai mã thẻ BHYT (AE)' });

  const button = row.getByRole('button', { name: 'Gửi lại' });
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('handoff-problem').filter({ hasText: encounter.number })).toHaveCount(0);
  const after = await (await page.request.get(`/api/v1/encounters/${encounter.id}/handoffs`)).json();
  expect(after.state).toBe('waiting');
  expect(after.log.map((l: { outcome: string }) => l.outcome)).toEqual(['RETRY_REQUESTED']);
  expect(
    await db.auditEvent.count({ where: { action: 'HANDOFF_RETRY', entityType: 'HandoffMessage' } }),
  ).toBeGreaterThanOrEqual(1);
});

test('support staff may read the hand-off state but not retry; bad ids are refused in Vietnamese', async ({ page }) => {
  const encounter = await parkedEncounter('HIS đang bảo trì (AR)');
  const message = await db.handoffMessage.findFirstOrThrow({ where: { encounterId: encounter.id } });
  await signIn(page, 'hotro');
  expect((await page.request.get(`/api/v1/encounters/${encounter.id}/handoffs`)).status()).toBe(200);
  const denied = await page.request.post(`/api/v1/handoffs/${message.id}/retry`, {
    headers: { ...SAME_ORIGIN, 'content-type': 'application/json' },
  });
  expect(denied.status()).toBe(403);
  const bad = await page.request.get('/api/v1/encounters/khong-phai-uuid/handoffs');
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.message).toContain('không hợp lệ');
  await page.goto('/bao-cao/ban-giao');
  await expect(page).toHaveURL(/khong-co-quyen/);
});

test('an administrator sets the HIS address, tests it, and it is kept (keyboard only)', async ({ page }) => {
  const his = net.createServer((socket) => socket.end()); // a port that answers, like an HIS's MLLP listener
  await new Promise<void>((resolve) => his.listen(0, '127.0.0.1', resolve));
  const port = (his.address() as net.AddressInfo).port;
  const demo = await db.facility.findUniqueOrThrow({ where: { code: DEMO_FACILITY.code } }); // the setting is the admin's facility's
  try {
    await signIn(page, 'quantri');
    await page.goto('/quan-tri');
    await expect(page.getByRole('heading', { name: 'Kết nối HIS (HL7 v2 qua MLLP)' })).toBeVisible();
    const form = page.getByRole('form', { name: 'Kết nối HIS (HL7 v2 qua MLLP)' });
    const input = form.getByLabel('Địa chỉ MLLP của HIS');
    await input.fill('http://his.benhvien.local:2575');
    await input.press('Enter');
    await expect(form.getByRole('alert')).toContainText('mllp://máy-chủ:cổng');

    await input.fill(`mllp://127.0.0.1:${port}`);
    await page.keyboard.press('Tab'); // → Lưu
    await page.keyboard.press('Tab'); // → Kiểm tra kết nối
    await page.keyboard.press('Enter');
    await expect(form.getByRole('status')).toContainText(`Kết nối được tới mllp://127.0.0.1:${port}`);
    await input.press('Enter');
    await expect(form.getByRole('status')).toContainText('Đã lưu');
    await page.screenshot({ path: `${SCREENS}/admin-his-connection.png`, fullPage: true });

    await page.reload();
    await expect(page.getByLabel('Địa chỉ MLLP của HIS')).toHaveValue(`mllp://127.0.0.1:${port}`);
    expect((await db.setting.findUniqueOrThrow({ where: { key: mllpSettingKey(demo.id) } })).value).toBe(
      `mllp://127.0.0.1:${port}`,
    );
    expect(
      await db.auditEvent.count({ where: { action: 'SETTING_CHANGED', entityId: mllpSettingKey(demo.id) } }),
    ).toBeGreaterThanOrEqual(1);
  } finally {
    await db.setting.deleteMany({ where: { key: mllpSettingKey(demo.id) } });
    await new Promise((resolve) => his.close(resolve));
  }
});

test('only administrators may change the HIS address', async ({ page }) => {
  await signIn(page, 'quanly');
  const res = await page.request.put('/api/v1/settings/his', {
    headers: SAME_ORIGIN,
    data: { mllpUrl: 'mllp://10.0.0.1:2575' },
  });
  expect(res.status()).toBe(403);
});
