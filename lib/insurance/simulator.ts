/**
 * A BHXH gateway simulator: a real HTTP server speaking the card-check contract of spec §6
 * (`POST /api/token/take` with an MD5 password, `POST /api/egw/KQNhanLichSuKCB2024` with query-string
 * credentials), with configurable cards and faults. For tests and for development without the real gateway.
 * Synthetic data only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHash } from 'node:crypto';

export type SimCard = {
  /** What the card is found by (maThe): 15-character code, 10-digit BHXH number and/or 12-digit personal ID. */
  keys: string[];
  /** maKetQua to answer for this card. */
  resultCode: string;
  /** Response fields as the gateway returns them (maThe, hoTen, ngaySinh 'dd/MM/yyyy', gioiTinh, maDKBD, gtTheTu, …). */
  data: Record<string, string>;
  /** For result 000: compare the request's hoTen/ngaySinh with `data` and answer 060/061/070 on mismatch (default true). */
  checkHolder?: boolean;
};

export type SimFaults = {
  /** Wait this long before answering a card check. */
  delayMs?: number;
  /** Wait this long before answering a token request. */
  tokenDelayMs?: number;
  /** Answer card checks with HTTP 500. */
  http500?: boolean;
  /** Answer token requests with HTTP 500. */
  tokenHttp500?: boolean;
  /** Destroy the connection of card checks without answering. */
  dropConnection?: boolean;
  /** Refuse every login as a wrong password would (HTTP 401, maKetQua 401). */
  rejectLogin?: boolean;
  /** Lifetime of new tokens (default 3600 s). */
  tokenTtlSeconds?: number;
  /** Answer an invalid/expired token with HTTP 401 instead of HTTP 200 + maKetQua "401". */
  authFailureAsHttp401?: boolean;
};

export type SimRequest = {
  endpoint: 'token' | 'check' | 'other';
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, string>;
  contentType: string;
  at: number;
};

export type SimOptions = {
  port?: number;
  host?: string;
  account?: { username: string; password: string };
  /** Registered lookup staff; when given, unknown cccdCb → 054 and a name mismatch → 055. */
  staff?: { fullName: string; cccd: string }[];
  cards?: SimCard[];
  faults?: SimFaults;
};

export type GatewaySimulator = {
  url: string;
  close: () => Promise<void>;
  setFaults: (faults: SimFaults) => void;
  setCards: (cards: SimCard[]) => void;
  /** Every request received, in order (tests assert on it). */
  requests: SimRequest[];
  /** Make every token issued so far invalid, as a gateway-side expiry would. */
  expireTokens: () => void;
};

export const SIM_DEFAULT_ACCOUNT = { username: '58999_BV', password: 'Demo@12345' };

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
const upper = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleUpperCase('vi-VN');
const VN_DATE = /^(\d{2}\/\d{2}\/\d{4}|\d{4})$/;

function readBody(req: IncomingMessage): Promise<{ body: Record<string, string>; contentType: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const contentType = req.headers['content-type'] ?? '';
      let body: Record<string, string> = {};
      try {
        if (contentType.includes('json')) {
          const json = JSON.parse(text) as Record<string, unknown>;
          body = Object.fromEntries(Object.entries(json).map(([k, v]) => [k, String(v ?? '')]));
        } else body = Object.fromEntries(new URLSearchParams(text));
      } catch {
        body = {};
      }
      resolve({ body, contentType });
    });
    req.on('error', () => resolve({ body: {}, contentType: '' }));
  });
}

function send(res: ServerResponse, status: number, json: unknown) {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(json));
}

export async function startGatewaySimulator(options: SimOptions = {}): Promise<GatewaySimulator> {
  const account = options.account ?? SIM_DEFAULT_ACCOUNT;
  let cards = options.cards ?? [];
  let faults: SimFaults = options.faults ?? {};
  const requests: SimRequest[] = [];
  const tokens = new Map<string, { idToken: string; expiresAt: number }>();
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let issued = 0;

  const wait = (ms: number | undefined) =>
    new Promise<void>((resolve) => {
      if (!ms) return resolve();
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  function answerToken(res: ServerResponse, body: Record<string, string>) {
    if (faults.tokenHttp500) return send(res, 500, { maKetQua: '500', ghiChu: 'Lỗi máy chủ' });
    const ok =
      !faults.rejectLogin &&
      body.username === account.username &&
      (body.password ?? '').toLowerCase() === md5(account.password);
    if (!ok) return send(res, 401, { maKetQua: '401', ghiChu: 'Lỗi xác thực tài khoản' });
    issued += 1;
    const accessToken = `SIM-ACCESS-${issued}-${Math.random().toString(36).slice(2, 10)}`;
    const idToken = `SIM-ID-${issued}`;
    const expiresAt = Date.now() + (faults.tokenTtlSeconds ?? 3600) * 1000;
    tokens.set(accessToken, { idToken, expiresAt });
    send(res, 200, {
      maKetQua: '200',
      APIKey: {
        access_token: accessToken,
        id_token: idToken,
        token_type: 'bearer',
        username: account.username,
        expires_in: new Date(expiresAt).toISOString(),
      },
    });
  }

  function holderMismatch(card: SimCard, body: Record<string, string>): string | undefined {
    if (card.resultCode !== '000' || card.checkHolder === false) return undefined;
    const name = card.data.hoTen ? upper(card.data.hoTen) : undefined;
    const asked = upper(body.hoTen ?? '');
    if (name && name !== asked) return name[0] === asked[0] ? '061' : '060';
    const dob = card.data.ngaySinh;
    if (dob && body.ngaySinh !== dob && !(body.ngaySinh?.length === 4 && dob.endsWith(body.ngaySinh))) return '070';
    return undefined;
  }

  function answerCheck(res: ServerResponse, query: Record<string, string>, body: Record<string, string>) {
    const token = tokens.get(query.token ?? '');
    const authOk =
      token &&
      token.expiresAt > Date.now() &&
      token.idToken === query.id_token &&
      query.username === account.username &&
      (query.password ?? '').toLowerCase() === md5(account.password);
    if (!authOk)
      return send(res, faults.authFailureAsHttp401 ? 401 : 200, { maKetQua: '401', ghiChu: 'Lỗi xác thực tài khoản' });
    const required = ['maThe', 'hoTen', 'ngaySinh', 'hoTenCb', 'cccdCb'];
    if (
      required.some((k) => !body[k]?.trim()) ||
      !VN_DATE.test(body.ngaySinh ?? '') ||
      !/^\d{12}$/.test(body.cccdCb ?? '')
    ) {
      return send(res, 200, { maKetQua: '205', ghiChu: 'Lỗi sai định dạng tham số' });
    }
    if (options.staff) {
      const officer = options.staff.find((s) => s.cccd === body.cccdCb);
      if (!officer)
        return send(res, 200, { maKetQua: '054', ghiChu: 'Số CCCD của cán bộ thực hiện tra cứu không tồn tại' });
      if (upper(officer.fullName) !== upper(body.hoTenCb ?? ''))
        return send(res, 200, { maKetQua: '055', ghiChu: 'Họ tên cán bộ không khớp số CCCD' });
    }
    const key = (body.maThe ?? '').replace(/\s/g, '').toUpperCase();
    const card = cards.find((c) => c.keys.some((k) => k.toUpperCase() === key));
    if (!card) return send(res, 200, { maKetQua: '050', ghiChu: 'Không có thông tin thẻ' });
    const code = holderMismatch(card, body) ?? card.resultCode;
    const withCard = ['000', '001', '002', '003', '003.1', '004'].includes(code);
    send(res, 200, {
      maKetQua: code,
      ghiChu: `Kết quả mô phỏng ${code}`,
      ...(withCard ? card.data : {}),
      dsLichSuKCB2018: null, // since CV 2746 the check returns no history (spec §6.2)
      dsLichSuKT2018: [],
    });
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const { body, contentType } = await readBody(req);
    const endpoint =
      url.pathname === '/api/token/take'
        ? 'token'
        : url.pathname === '/api/egw/KQNhanLichSuKCB2024'
          ? 'check'
          : 'other';
    requests.push({
      endpoint,
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      contentType,
      at: Date.now(),
    });
    if (req.method !== 'POST' || endpoint === 'other')
      return send(res, 404, { maKetQua: '404', ghiChu: 'Không có chức năng này' });
    if (endpoint === 'token') {
      await wait(faults.tokenDelayMs);
      return answerToken(res, body);
    }
    await wait(faults.delayMs);
    if (faults.dropConnection) return void req.socket.destroy();
    if (faults.http500) return send(res, 500, { maKetQua: '500', ghiChu: 'Lỗi máy chủ' });
    answerCheck(res, Object.fromEntries(url.searchParams), body);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    requests,
    setFaults: (next) => void (faults = next),
    setCards: (next) => void (cards = next),
    expireTokens: () => tokens.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
