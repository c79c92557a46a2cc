import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { testDb, testFacility } from '../db/test-helpers';
import type { Principal } from '../auth/roles';
import {
  hisConnection,
  hisConnectionSchema,
  mllpSettingKey,
  mllpUrl,
  parseMllpUrl,
  probeMllp,
  saveHisConnection,
} from './config';

/** The admin page's HIS address: validation, storage with audit, the environment's precedence, and the probe. */
const db = testDb();
let admin: Principal;

beforeAll(async () => {
  const facility = await testFacility(db);
  admin = {
    kind: 'USER',
    id: '00000000-0000-4000-8000-0000000000ad',
    name: 'quantri-test',
    role: 'ADMIN',
    facilityId: facility.id,
    facilityCode: facility.code,
  };
});
afterAll(async () => {
  await db.setting.deleteMany({ where: { key: mllpSettingKey(admin.facilityId) } });
  await db.$disconnect();
});

describe('HIS connection setting', () => {
  it('accepts mllp://host:port (or empty to remove) and explains anything else in Vietnamese', () => {
    for (const ok of ['mllp://his.benhvien.local:2575', 'mllp://10.0.0.5:6661', 'mllp://[::1]:2575', '']) {
      expect(hisConnectionSchema.safeParse({ mllpUrl: ok }).success).toBe(true);
    }
    for (const bad of ['http://his:2575', 'mllp://his', 'mllp://his:99999', 'his:2575']) {
      const r = hisConnectionSchema.safeParse({ mllpUrl: bad });
      expect(r.success).toBe(false);
      expect(r.error!.issues[0]!.message).toContain('mllp://máy-chủ:cổng');
    }
  });

  it('is stored with an audit row, used when HIS_MLLP_URL is not set, overridden when it is, and removed with an empty value', async () => {
    const f = admin.facilityId;
    await saveHisConnection(db, 'mllp://his.benhvien.local:2575', admin);
    expect(await hisConnection(db, f, {})).toEqual({
      mllpUrl: 'mllp://his.benhvien.local:2575',
      environmentMllpUrl: null,
    });
    expect(await mllpUrl(db, f, {})).toBe('mllp://his.benhvien.local:2575');
    expect(await mllpUrl(db, f, { HIS_MLLP_URL: 'mllp://127.0.0.1:2575' })).toBe('mllp://127.0.0.1:2575');
    expect(await hisConnection(db, f, { HIS_MLLP_URL: 'mllp://127.0.0.1:2575' })).toMatchObject({
      environmentMllpUrl: 'mllp://127.0.0.1:2575',
    });
    await saveHisConnection(db, '', admin);
    expect(await mllpUrl(db, f, {})).toBeNull();
    const audits = await db.auditEvent.findMany({
      where: { action: 'SETTING_CHANGED', actorId: admin.id },
      orderBy: { id: 'asc' },
    });
    expect(audits.map((a) => a.details)).toEqual([{ cleared: false }, { cleared: true }]);
  });

  it('probes a listening HIS port, and says in Vietnamese why a closed one fails', async () => {
    const server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    expect(await probeMllp(parseMllpUrl(`mllp://127.0.0.1:${port}`)!)).toMatchObject({ ok: true });
    await new Promise((resolve) => server.close(resolve));
    expect(await probeMllp(parseMllpUrl(`mllp://127.0.0.1:${port}`)!)).toEqual({
      ok: false,
      text: expect.stringContaining('từ chối kết nối'),
    });
  });
});
