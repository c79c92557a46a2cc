/**
 * Client for the BHXH gateway card check (spec §6): token from `POST /api/token/take` (MD5 password),
 * then `POST /api/egw/KQNhanLichSuKCB2024` with the signed-in receptionist as `hoTenCb`/`cccdCb`.
 * Never throws: every failure becomes UNAVAILABLE, so the desk never stalls on the gateway.
 * Credentials and tokens travel in the query string, so URLs are never logged; neither is any card data.
 */
import { createHash } from 'node:crypto';
import { log } from '../log';
import { parseVnDate, toVietnameseDate } from '../identity/dates';
import { describeResultCode, type GatewayStatus } from './result-codes';
import { normaliseGatewayCard, type GatewayCard } from './gateway-card';
import { jsonLimited } from '../http/body';
import { countGatewayRequest } from '../ops/metrics';

export type { GatewayCard, GatewayStatus };

export type GatewaySettings = {
  baseUrl: string;
  username: string;
  /** The account's plain password; the gateway wants its MD5 hex. */
  password: string;
  /** Whole card check (token included when one must be fetched). */
  checkTimeoutMs: number;
  tokenTimeoutMs: number;
  /**
   * The annex (CV 1923) says JSON; production HIS code also sends form-urlencoded, and the newer history
   * function rejected JSON in one deployment (spec §6.5, §7.6). UNCERTAIN which the card check will insist on.
   */
  bodyFormat: 'json' | 'form';
};

export const DEFAULT_CHECK_TIMEOUT_MS = 4_000;
export const DEFAULT_TOKEN_TIMEOUT_MS = 10_000;
/** A token or card-check answer (with the visit history it lists) is a few KB; past this it is cut off unread and the card stays unverified. */
export const MAX_GATEWAY_RESPONSE_BYTES = 512 * 1024;

/**
 * Gateway settings from the environment (BHXH_GATEWAY_URL, BHXH_GATEWAY_USER, BHXH_GATEWAY_PASSWORD,
 * optional BHXH_GATEWAY_TIMEOUT_MS and BHXH_GATEWAY_BODY=json|form); null when not configured.
 * The one place to read them: the `Setting` table may override these later.
 */
export function gatewaySettings(env: Record<string, string | undefined> = process.env): GatewaySettings | null {
  const baseUrl = env.BHXH_GATEWAY_URL?.trim().replace(/\/+$/, '');
  const username = env.BHXH_GATEWAY_USER?.trim();
  const password = env.BHXH_GATEWAY_PASSWORD;
  if (!baseUrl || !username || !password) return null;
  const timeout = Number(env.BHXH_GATEWAY_TIMEOUT_MS);
  return {
    baseUrl,
    username,
    password,
    checkTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_CHECK_TIMEOUT_MS,
    tokenTimeoutMs: DEFAULT_TOKEN_TIMEOUT_MS,
    bodyFormat: env.BHXH_GATEWAY_BODY === 'form' ? 'form' : 'json',
  };
}

export type CardCheckInput = {
  /** maThe: 15-character card code, 10-digit mã số BHXH or 12-digit personal ID. */
  cardNumber: string;
  fullName: string;
  /** 'YYYY-MM-DD' or 'YYYY' (our format); 'dd/MM/yyyy' is passed through. */
  dateOfBirth: string;
  /** The signed-in receptionist, sent as given (hoTenCb, cccdCb); must match BHXH's registered staff list. */
  staff: { fullName: string; staffIdNumber: string };
};

export type GatewayResult = {
  status: GatewayStatus;
  resultCode?: string;
  message: string; // Vietnamese
  /** An administrator must fix the account or staff registration; retrying will not help. */
  configError?: boolean;
  manualCheck?: boolean;
  card?: GatewayCard;
};

type Token = { accessToken: string; idToken: string; expiresAt: number };

class TokenError extends Error {
  constructor(readonly kind: 'AUTH' | 'UNAVAILABLE') {
    super(kind);
  }
}

/** Refresh this long before the gateway's expiry, so a token does not die in flight. */
const EXPIRY_MARGIN_MS = 30_000;
/** When `expires_in` cannot be read, reuse the token this long (a 401 refreshes it anyway). */
const FALLBACK_TOKEN_LIFE_MS = 5 * 60_000;

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * `expires_in` is an absolute ISO timestamp in the deployments seen [U15]; HIS code also copes with
 * seconds-from-now and epoch values [S1], so those are read too.
 */
export function tokenExpiry(value: unknown, now: number): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())
        ? Number(value)
        : NaN;
  if (Number.isFinite(n)) {
    if (n < 1e8) return now + n * 1000; // seconds from now
    if (n < 1e11) return n * 1000; // epoch seconds
    return n; // epoch milliseconds
  }
  const t = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(t) ? t : now + FALLBACK_TOKEN_LIFE_MS;
}

const MSG = {
  notConfigured: 'Chưa cấu hình cổng BHXH (địa chỉ, tài khoản). Báo quản trị hệ thống.',
  timeout: (ms: number) =>
    `Cổng BHXH không trả lời trong ${(ms / 1000).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} giây: BHYT chưa xác minh, hãy xác minh lại sau.`,
  network: 'Không kết nối được cổng BHXH: BHYT chưa xác minh, hãy xác minh lại sau.',
  server: (status: number) => `Cổng BHXH lỗi máy chủ (HTTP ${status}): BHYT chưa xác minh, hãy xác minh lại sau.`,
  badAnswer: 'Cổng BHXH trả lời không đúng định dạng: BHYT chưa xác minh, hãy xác minh lại sau.',
  login:
    'Cổng BHXH từ chối tài khoản kết nối của cơ sở (sai tên đăng nhập hoặc mật khẩu). Báo quản trị hệ thống kiểm tra cấu hình cổng BHXH.',
  tokenUnavailable: 'Không lấy được phiên đăng nhập cổng BHXH: BHYT chưa xác minh, hãy xác minh lại sau.',
  authRejected: 'Cổng BHXH từ chối phiên đăng nhập cả sau khi đăng nhập lại. Báo quản trị hệ thống.',
  badDob: 'Ngày sinh không hợp lệ để tra cứu thẻ BHYT.',
  noStaffId: 'Tài khoản của bạn chưa có số CCCD cán bộ (bắt buộc khi tra cứu thẻ BHYT). Báo quản trị hệ thống.',
};

function unavailable(message: string, extra: Partial<GatewayResult> = {}): GatewayResult {
  return { status: 'UNAVAILABLE', message, ...extra };
}

/** The gateway wants `dd/MM/yyyy`, or `yyyy` when only the year is known (never `ddMMyyyy`). */
function gatewayDate(value: string): string | undefined {
  const v = value.trim();
  const iso = toVietnameseDate(v);
  if (iso) return iso;
  const parsed = parseVnDate(v, true);
  return parsed.ok ? toVietnameseDate(parsed.value) : undefined;
}

/** One client per facility account: it owns the token cache. */
export class GatewayClient {
  private token: Token | undefined;
  private pendingToken: Promise<Token> | undefined;

  constructor(
    readonly settings: GatewaySettings,
    private readonly now: () => number = Date.now,
  ) {}

  async checkCard(input: CardCheckInput, options: { timeoutMs?: number } = {}): Promise<GatewayResult> {
    const started = this.now();
    const timeoutMs = options.timeoutMs ?? this.settings.checkTimeoutMs;
    const result = await this.checkWithin(input, timeoutMs);
    log.info(
      { event: 'bhxh_card_check', status: result.status, resultCode: result.resultCode, ms: this.now() - started },
      'BHXH card check',
    );
    return result;
  }

  /** Forget the cached token (e.g. after an authentication failure). */
  invalidateToken(token?: Token): void {
    if (!token || this.token === token) this.token = undefined;
  }

  private async checkWithin(input: CardCheckInput, timeoutMs: number): Promise<GatewayResult> {
    const ngaySinh = gatewayDate(input.dateOfBirth);
    if (!ngaySinh) return unavailable(MSG.badDob, { resultCode: '205' });
    if (!/^\d{12}$/.test(input.staff.staffIdNumber ?? '')) return unavailable(MSG.noStaffId, { configError: true });
    const body = {
      maThe: input.cardNumber.replace(/\s/g, '').toUpperCase(),
      // HIS code upper-cases the name [S1] and the synthetic example does too; diacritics are kept (§6.6).
      hoTen: input.fullName.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleUpperCase('vi-VN'),
      ngaySinh,
      hoTenCb: input.staff.fullName,
      cccdCb: input.staff.staffIdNumber,
    };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      let token = await raceSignal(this.getToken(), controller.signal);
      let answer = await this.postCheck(token, body, controller.signal);
      if (answer === 'AUTH') {
        // Token expired or revoked: fetch a new one once, then give up.
        this.invalidateToken(token);
        token = await raceSignal(this.getToken(), controller.signal);
        answer = await this.postCheck(token, body, controller.signal);
        if (answer === 'AUTH') {
          this.invalidateToken(token);
          return unavailable(MSG.authRejected, { resultCode: '401', configError: true });
        }
      }
      return answer;
    } catch (error) {
      if (error instanceof TokenError) {
        return error.kind === 'AUTH'
          ? unavailable(MSG.login, { resultCode: '401', configError: true })
          : unavailable(MSG.tokenUnavailable);
      }
      if (controller.signal.aborted) return unavailable(MSG.timeout(timeoutMs));
      return unavailable(MSG.network);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The cached token, or one new token request shared by every concurrent caller. */
  private getToken(): Promise<Token> {
    if (this.token && this.token.expiresAt - EXPIRY_MARGIN_MS > this.now()) return Promise.resolve(this.token);
    if (!this.pendingToken) {
      this.pendingToken = this.fetchToken().then(
        (token) => {
          this.token = token;
          this.pendingToken = undefined;
          return token;
        },
        (error) => {
          this.pendingToken = undefined;
          throw error;
        },
      );
    }
    return this.pendingToken;
  }

  private async fetchToken(): Promise<Token> {
    const { baseUrl, username, password, tokenTimeoutMs } = this.settings;
    let response: Response;
    try {
      // Form body as in production HIS code [S1]; JSON is also seen working [S9].
      response = await fetch(`${baseUrl}/api/token/take`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ username, password: md5Hex(password) }).toString(),
        signal: AbortSignal.timeout(tokenTimeoutMs),
      });
    } catch {
      throw new TokenError('UNAVAILABLE');
    }
    const json = await jsonLimited<{ maKetQua?: unknown; APIKey?: Record<string, unknown> }>(
      response,
      MAX_GATEWAY_RESPONSE_BYTES,
    ).catch(() => null);
    if (response.status === 401 || response.status === 403 || String(json?.maKetQua ?? '') === '401')
      throw new TokenError('AUTH');
    const key = json?.APIKey;
    if (!response.ok || String(json?.maKetQua ?? '') !== '200' || typeof key?.access_token !== 'string')
      throw new TokenError('UNAVAILABLE');
    return {
      accessToken: key.access_token,
      idToken: typeof key.id_token === 'string' ? key.id_token : '',
      expiresAt: tokenExpiry(key.expires_in, this.now()),
    };
  }

  private async postCheck(
    token: Token,
    body: Record<string, string>,
    signal: AbortSignal,
  ): Promise<GatewayResult | 'AUTH'> {
    const { baseUrl, username, password, bodyFormat } = this.settings;
    const query = new URLSearchParams({
      token: token.accessToken,
      id_token: token.idToken,
      username,
      password: md5Hex(password),
    });
    const response = await fetch(`${baseUrl}/api/egw/KQNhanLichSuKCB2024?${query}`, {
      method: 'POST',
      headers: {
        'content-type': bodyFormat === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
        accept: 'application/json',
      },
      body: bodyFormat === 'form' ? new URLSearchParams(body).toString() : JSON.stringify(body),
      signal,
    });
    if (response.status === 401) {
      await response.body?.cancel();
      return 'AUTH';
    }
    if (response.status >= 500) {
      await response.body?.cancel();
      return unavailable(MSG.server(response.status), { resultCode: '500' });
    }
    const json = await jsonLimited<Record<string, unknown>>(response, MAX_GATEWAY_RESPONSE_BYTES).catch(() => null);
    const code =
      typeof json?.maKetQua === 'string'
        ? json.maKetQua.trim()
        : typeof json?.maKetQua === 'number'
          ? String(json.maKetQua).padStart(3, '0')
          : '';
    if (!json || !code) return unavailable(MSG.badAnswer);
    if (code === '401') return 'AUTH';
    const info = describeResultCode(code);
    const card = info.status === 'VERIFIED' ? normaliseGatewayCard(json) : undefined;
    return {
      status: info.status,
      resultCode: code,
      message: info.message,
      ...(info.configError ? { configError: true } : {}),
      ...(info.manualCheck ? { manualCheck: true } : {}),
      ...(card ? { card } : {}),
    };
  }
}

/** Resolves as `promise`, or rejects when `signal` aborts first (the shared token fetch goes on for others). */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

const clients = new Map<string, GatewayClient>();

/** The process-wide client for these settings, so the token cache is shared by every request. */
export function sharedGatewayClient(settings: GatewaySettings): GatewayClient {
  const key = `${settings.baseUrl}|${settings.username}|${md5Hex(settings.password)}|${settings.bodyFormat}`;
  let client = clients.get(key);
  if (!client) {
    client = new GatewayClient(settings);
    clients.set(key, client);
  }
  return client;
}

/**
 * Card check with the configured gateway (the check-in code calls this with a short timeout).
 * UNAVAILABLE with an admin-facing message when the gateway is not configured.
 */
export async function checkBhytCard(
  input: CardCheckInput,
  options: { timeoutMs?: number; settings?: GatewaySettings | null } = {},
): Promise<GatewayResult> {
  const settings = options.settings === undefined ? gatewaySettings() : options.settings;
  if (!settings) return unavailable(MSG.notConfigured, { configError: true });
  const result = await sharedGatewayClient(settings).checkCard(input, {
    timeoutMs: options.timeoutMs ?? settings.checkTimeoutMs,
  });
  countGatewayRequest(result.status);
  return result;
}
