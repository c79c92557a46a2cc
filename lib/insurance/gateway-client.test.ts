import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  GatewayClient,
  gatewaySettings,
  md5Hex,
  tokenExpiry,
  type CardCheckInput,
  type GatewaySettings,
} from './gateway-client';
import { startGatewaySimulator, type GatewaySimulator, type SimCard } from './simulator';
import { RESULT_CODES } from './result-codes';
import { DEMO_CARDS, DEMO_PEOPLE } from './demo-cards';
import { hostileHttpPeer } from '../http/test-hostile-peer';

const ACCOUNT = { username: '79999_BV', password: 'Synthetic#Pass1' };
const STAFF = { fullName: 'Nguyễn Văn Tiếp Đón', staffIdNumber: '079090000000' };
const nhung = DEMO_PEOPLE[0]!;

let sim: GatewaySimulator;
const settings = (extra: Partial<GatewaySettings> = {}): GatewaySettings => ({
  baseUrl: sim.url,
  username: ACCOUNT.username,
  password: ACCOUNT.password,
  checkTimeoutMs: 4000,
  tokenTimeoutMs: 4000,
  bodyFormat: 'json',
  ...extra,
});
const input = (extra: Partial<CardCheckInput> = {}): CardCheckInput => ({
  cardNumber: nhung.cardCode,
  fullName: nhung.fullName,
  dateOfBirth: nhung.dateOfBirth,
  staff: STAFF,
  ...extra,
});
const tokenCalls = () => sim.requests.filter((r) => r.endpoint === 'token').length;
const checkCalls = () => sim.requests.filter((r) => r.endpoint === 'check');

beforeAll(async () => {
  sim = await startGatewaySimulator({ account: ACCOUNT, cards: DEMO_CARDS });
});
afterAll(async () => sim.close());
beforeEach(() => {
  sim.requests.length = 0;
  sim.setFaults({});
  sim.setCards(DEMO_CARDS);
});

describe('settings', () => {
  it('reads the environment and is null when incomplete', () => {
    expect(gatewaySettings({ BHXH_GATEWAY_URL: 'http://x/', BHXH_GATEWAY_USER: 'u' })).toBeNull();
    const s = gatewaySettings({
      BHXH_GATEWAY_URL: 'http://127.0.0.1:1/',
      BHXH_GATEWAY_USER: 'u',
      BHXH_GATEWAY_PASSWORD: 'p',
      BHXH_GATEWAY_TIMEOUT_MS: '1500',
    });
    expect(s).toMatchObject({
      baseUrl: 'http://127.0.0.1:1',
      username: 'u',
      password: 'p',
      checkTimeoutMs: 1500,
      bodyFormat: 'json',
    });
    expect(
      gatewaySettings({ BHXH_GATEWAY_URL: 'http://x', BHXH_GATEWAY_USER: 'u', BHXH_GATEWAY_PASSWORD: 'p' })
        ?.checkTimeoutMs,
    ).toBe(4000);
  });

  it('reads expires_in as ISO, seconds from now, or epoch', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(tokenExpiry('2026-01-01T08:00:00Z', now)).toBe(Date.UTC(2026, 0, 1, 8));
    expect(tokenExpiry(3600, now)).toBe(now + 3_600_000);
    expect(tokenExpiry('1767254400', now)).toBe(1767254400_000);
  });
});

describe('contract', () => {
  it('logs in with the MD5 of the password and sends the card check as documented', async () => {
    const client = new GatewayClient(settings());
    const result = await client.checkCard(input({ fullName: 'nguyễn  thị hồng nhung', dateOfBirth: '1986-03-12' }));
    expect(result.status).toBe('VERIFIED');
    const [token, check] = sim.requests;
    expect(token).toMatchObject({
      endpoint: 'token',
      body: { username: ACCOUNT.username, password: md5Hex(ACCOUNT.password) },
    });
    expect(token!.body.password).toMatch(/^[0-9a-f]{32}$/);
    expect(check!.query).toMatchObject({ username: ACCOUNT.username, password: md5Hex(ACCOUNT.password) });
    expect(check!.query.token).toMatch(/^SIM-ACCESS-/);
    expect(check!.query.id_token).toMatch(/^SIM-ID-/);
    expect(check!.contentType).toContain('application/json');
    expect(check!.body).toEqual({
      maThe: nhung.cardCode,
      hoTen: 'NGUYỄN THỊ HỒNG NHUNG',
      ngaySinh: '12/03/1986',
      hoTenCb: STAFF.fullName,
      cccdCb: STAFF.staffIdNumber, // as given
    });
  });

  it('sends a year-only birth date as yyyy and can send a form body', async () => {
    const client = new GatewayClient(settings({ bodyFormat: 'form' }));
    const ha = DEMO_PEOPLE[5]!;
    const result = await client.checkCard(
      input({ cardNumber: ha.personalId, fullName: ha.fullName, dateOfBirth: ha.dateOfBirth }),
    );
    expect(result.status).toBe('VERIFIED');
    const check = checkCalls()[0]!;
    expect(check.contentType).toContain('x-www-form-urlencoded');
    expect(check.body.ngaySinh).toBe('1948');
  });

  it('normalises the returned card to our formats', async () => {
    const result = await new GatewayClient(settings()).checkCard(input({ cardNumber: nhung.bhxhNumber }));
    expect(result).toMatchObject({ status: 'VERIFIED', resultCode: '000', message: RESULT_CODES['000']!.message });
    expect(result.card).toMatchObject({
      cardCode: 'GD4585812345601',
      bhxhNumber: '5812345601',
      groupCode: 'GD',
      benefitLevel: 4,
      fullName: 'NGUYỄN THỊ HỒNG NHUNG',
      dateOfBirth: '1986-03-12',
      sex: 'F',
      registeredFacility: '58999',
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      fiveYearsFrom: '2024-01-01',
    });
  });

  it('returns the new card of a 003 answer', async () => {
    const huy = DEMO_PEOPLE[2]!;
    const result = await new GatewayClient(settings()).checkCard(
      input({ cardNumber: huy.cardCode, fullName: huy.fullName, dateOfBirth: huy.dateOfBirth }),
    );
    expect(result.status).toBe('VERIFIED');
    expect(result.card?.newCard).toEqual({
      cardCode: 'TE1585812345699',
      validFrom: '2026-02-14',
      validTo: '2027-09-30',
      registeredFacility: '58999',
      registeredFacilityName: 'Trung tâm Y tế Demo',
    });
  });
});

describe('result codes', () => {
  const codes = Object.keys(RESULT_CODES).filter((c) => c !== '401');
  it.each(codes)('maps %s from the table', async (code) => {
    const card: SimCard = {
      keys: ['GD4585899999999'],
      resultCode: code,
      checkHolder: false,
      data: {
        maThe: 'GD4585899999999',
        hoTen: 'TRẦN THỊ MAI',
        ngaySinh: '02/07/1988',
        gtTheTu: '01/01/2026',
        gtTheDen: '31/12/2026',
      },
    };
    sim.setCards([card]);
    const result = await new GatewayClient(settings()).checkCard(input({ cardNumber: 'GD4585899999999' }));
    expect(result.resultCode).toBe(code);
    expect(result.status).toBe(RESULT_CODES[code]!.status);
    expect(result.message).toBe(RESULT_CODES[code]!.message);
    expect(Boolean(result.card)).toBe(RESULT_CODES[code]!.status === 'VERIFIED');
  });

  it('VERIFIED for 000–004 only; config errors flagged', () => {
    const verified = Object.entries(RESULT_CODES)
      .filter(([, v]) => v.status === 'VERIFIED')
      .map(([k]) => k);
    expect(verified.sort()).toEqual(['000', '001', '002', '003', '003.1', '004']);
    expect(RESULT_CODES['054']!.configError && RESULT_CODES['055']!.configError).toBe(true);
  });

  it('shows an unknown code raw as UNAVAILABLE', async () => {
    sim.setCards([{ keys: ['X1'], resultCode: '777', data: {} }]);
    const result = await new GatewayClient(settings()).checkCard(input({ cardNumber: 'X1' }));
    expect(result).toMatchObject({ status: 'UNAVAILABLE', resultCode: '777' });
    expect(result.message).toContain('777');
  });

  it('answers 060/061/070 from the holder data and 050 for an unknown card', async () => {
    const client = new GatewayClient(settings());
    expect((await client.checkCard(input({ fullName: 'Trần Thị Hồng Nhung' }))).resultCode).toBe('060');
    expect((await client.checkCard(input({ fullName: 'Nguyễn Thị Hồng Nhungg' }))).resultCode).toBe('061');
    expect((await client.checkCard(input({ dateOfBirth: '1986-03-13' }))).resultCode).toBe('070');
    expect((await client.checkCard(input({ cardNumber: 'GD4585800000000' }))).status).toBe('REJECTED');
  });

  it('054/055 when the staff member is not registered with BHXH', async () => {
    const strict = await startGatewaySimulator({
      account: ACCOUNT,
      cards: DEMO_CARDS,
      staff: [{ fullName: STAFF.fullName, cccd: STAFF.staffIdNumber }],
    });
    try {
      const client = new GatewayClient(settings({ baseUrl: strict.url }));
      expect((await client.checkCard(input())).status).toBe('VERIFIED');
      const unknown = await client.checkCard(input({ staff: { ...STAFF, staffIdNumber: '079090000001' } }));
      expect(unknown).toMatchObject({ status: 'UNAVAILABLE', resultCode: '054', configError: true });
      const wrongName = await client.checkCard(input({ staff: { ...STAFF, fullName: 'Lê Thị Tân' } }));
      expect(wrongName).toMatchObject({ status: 'UNAVAILABLE', resultCode: '055' });
    } finally {
      await strict.close();
    }
  });
});

describe('token cache', () => {
  it('uses one token for many checks, even concurrent ones', async () => {
    const client = new GatewayClient(settings());
    sim.setFaults({ tokenDelayMs: 100 });
    const results = await Promise.all(Array.from({ length: 8 }, () => client.checkCard(input())));
    expect(results.every((r) => r.status === 'VERIFIED')).toBe(true);
    for (let i = 0; i < 5; i++) await client.checkCard(input());
    expect(tokenCalls()).toBe(1);
    expect(checkCalls()).toHaveLength(13);
  });

  it('logs in again once when the gateway says the token is no longer valid', async () => {
    const client = new GatewayClient(settings());
    await client.checkCard(input());
    sim.expireTokens();
    const result = await client.checkCard(input());
    expect(result.status).toBe('VERIFIED');
    expect(tokenCalls()).toBe(2);
    expect(checkCalls()).toHaveLength(3);
  });

  it('also on an HTTP 401 answer', async () => {
    const client = new GatewayClient(settings());
    await client.checkCard(input());
    sim.setFaults({ authFailureAsHttp401: true });
    sim.expireTokens();
    expect((await client.checkCard(input())).status).toBe('VERIFIED');
    expect(tokenCalls()).toBe(2);
  });

  it('fetches a new token before the expiry it was given', async () => {
    let now = Date.now();
    const client = new GatewayClient(settings(), () => now);
    sim.setFaults({ tokenTtlSeconds: 120 });
    await client.checkCard(input());
    await client.checkCard(input());
    expect(tokenCalls()).toBe(1);
    now += 100_000; // within the 30 s refresh margin of the 120 s token
    await client.checkCard(input());
    expect(tokenCalls()).toBe(2);
  });

  it('gives up after one refresh when the gateway keeps refusing the token', async () => {
    const client = new GatewayClient(settings());
    sim.setFaults({ tokenTtlSeconds: -10 }); // every token is born expired
    const result = await client.checkCard(input());
    expect(result).toMatchObject({ status: 'UNAVAILABLE', resultCode: '401', configError: true });
    expect(tokenCalls()).toBe(2);
  });
});

describe('failures are UNAVAILABLE, never a stall', () => {
  it('times out quickly', async () => {
    sim.setFaults({ delayMs: 3000 });
    const client = new GatewayClient(settings());
    const started = Date.now();
    const result = await client.checkCard(input(), { timeoutMs: 300 });
    const took = Date.now() - started;
    expect(result.status).toBe('UNAVAILABLE');
    expect(result.message).toMatch(/không trả lời trong 0,3 giây/);
    expect(took).toBeLessThan(1500);
  });

  it('a slow login counts against the same deadline', async () => {
    sim.setFaults({ tokenDelayMs: 3000 });
    const started = Date.now();
    const result = await new GatewayClient(settings()).checkCard(input(), { timeoutMs: 300 });
    expect(result.status).toBe('UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('HTTP 500 and a dropped connection', async () => {
    const client = new GatewayClient(settings());
    sim.setFaults({ http500: true });
    expect(await client.checkCard(input())).toMatchObject({
      status: 'UNAVAILABLE',
      message: expect.stringContaining('HTTP 500'),
    });
    sim.setFaults({ dropConnection: true });
    expect(await client.checkCard(input())).toMatchObject({
      status: 'UNAVAILABLE',
      message: expect.stringContaining('Không kết nối được'),
    });
    sim.setFaults({});
    expect((await client.checkCard(input())).status).toBe('VERIFIED');
  });

  it('nobody listening', async () => {
    const gone = await startGatewaySimulator({ account: ACCOUNT });
    const url = gone.url;
    await gone.close();
    const result = await new GatewayClient(settings({ baseUrl: url })).checkCard(input());
    expect(result.status).toBe('UNAVAILABLE');
  });

  it('a wrong password gives an admin-facing message and is not cached', async () => {
    const client = new GatewayClient(settings({ password: 'not-the-password' }));
    const result = await client.checkCard(input());
    expect(result).toMatchObject({ status: 'UNAVAILABLE', resultCode: '401', configError: true });
    expect(result.message).toMatch(/tài khoản kết nối.*sai tên đăng nhập hoặc mật khẩu.*quản trị/);
    expect(checkCalls()).toHaveLength(0);
    await client.checkCard(input());
    expect(tokenCalls()).toBe(2);
  });

  it('a token endpoint answering 500 is UNAVAILABLE (retryable, not a config error)', async () => {
    sim.setFaults({ tokenHttp500: true });
    const result = await new GatewayClient(settings()).checkCard(input());
    expect(result.status).toBe('UNAVAILABLE');
    expect(result.configError).toBeUndefined();
  });

  it('a staff member without a CCCD is caught before calling the gateway', async () => {
    const result = await new GatewayClient(settings()).checkCard(
      input({ staff: { fullName: 'Lê Thị Tân', staffIdNumber: '' } }),
    );
    expect(result).toMatchObject({ status: 'UNAVAILABLE', configError: true });
    expect(sim.requests).toHaveLength(0);
  });
});

describe('answers too large to read', () => {
  // A broken or hostile gateway answering with 1 GB: the client stops past MAX_GATEWAY_RESPONSE_BYTES and the card
  // stays "BHYT chưa xác minh". "Written" is what reached the connection before the client cut it (loopback
  // buffers hold a few MB); a client without a cap reads the whole gigabyte.
  const CUT_OFF = 32 * 1024 * 1024;

  it('a flooded token answer leaves the card unverified without reading it', async () => {
    const peer = await hostileHttpPeer({ offerBytes: 1024 ** 3 });
    try {
      const result = await new GatewayClient(
        settings({ baseUrl: peer.url, tokenTimeoutMs: 20_000, checkTimeoutMs: 20_000 }),
      ).checkCard(input());
      expect(result).toMatchObject({ status: 'UNAVAILABLE' });
      expect(peer.written()).toBeLessThan(CUT_OFF);
    } finally {
      await peer.close();
    }
  });

  it('a flooded card-check answer leaves the card unverified without reading it', async () => {
    const peer = await hostileHttpPeer({
      offerBytes: 1024 ** 3,
      normal: (req, res) => {
        if (!req.url?.startsWith('/api/token/take')) return false;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ maKetQua: '200', APIKey: { access_token: 'a', id_token: 'b', expires_in: 3600 } }));
        return true;
      },
    });
    try {
      const result = await new GatewayClient(
        settings({ baseUrl: peer.url, tokenTimeoutMs: 20_000, checkTimeoutMs: 20_000 }),
      ).checkCard(input());
      expect(result).toMatchObject({ status: 'UNAVAILABLE', message: expect.stringMatching(/không đúng định dạng/) });
      expect(peer.connections()).toBe(1);
      expect(peer.written()).toBeLessThan(CUT_OFF);
    } finally {
      await peer.close();
    }
  });
});
