import net from 'node:net';
import type { Db, DbTx } from '../db/client';
import type { Principal } from '../auth/roles';
import { audit } from '../audit';
import { z } from '../validation';
import { errorText } from './transport';

/** Environment-like settings (process.env, or an explicit map in tests). */
export type Env = Record<string, string | undefined>;

/**
 * Hand-off settings. Environment variables win over the admin page's `Setting` rows, so an operator can
 * pin a target on one machine without touching the database.
 */
export type RetryPolicy = { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };

export function retryPolicy(env: Env = process.env): RetryPolicy {
  return {
    maxAttempts: positive(env.HANDOFF_MAX_ATTEMPTS, 10),
    baseDelayMs: positive(env.HANDOFF_BACKOFF_BASE_MS, 2_000),
    maxDelayMs: positive(env.HANDOFF_BACKOFF_MAX_MS, 10 * 60_000),
  };
}

/** How long to wait for the HIS's ACK (or FHIR/BHXH HTTP answer) before counting the attempt as timed out. */
export function ackTimeoutMs(env: Env = process.env): number {
  return positive(env.HIS_ACK_TIMEOUT_MS, 10_000);
}

/**
 * While a worker sends a message it holds a lease; a worker that dies (SIGKILL) leaves the message SENDING,
 * and after the lease runs out another worker sends it again (same MSH-10, so the HIS can drop the duplicate).
 * The lease covers connect + send + ACK wait with margin, so a live worker never loses it mid-send.
 */
export function leaseMs(env: Env = process.env): number {
  // Never shorter than a full attempt (connect ≤ 5 s + ACK wait), whatever HANDOFF_LEASE_MS says.
  const floor = ackTimeoutMs(env) + Math.min(ackTimeoutMs(env), 5_000) + 500;
  return Math.max(floor, positive(env.HANDOFF_LEASE_MS, 2 * ackTimeoutMs(env) + 5_000));
}

function positive(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Exponential back-off with "equal jitter": half the delay is fixed, half random, so retries spread out. */
export function backoffDelayMs(attempts: number, policy: RetryPolicy, random = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

export const MLLP_SETTING_KEY = 'his.mllpUrl';

export type MllpTarget = { host: string; port: number };

export function parseMllpUrl(url: string): MllpTarget | null {
  const m = /^mllp:\/\/([^:/\s]+|\[[0-9a-fA-F:]+\]):(\d{1,5})\/?$/.exec(url.trim());
  if (!m) return null;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return null;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

/** HIS_MLLP_URL from the environment, else the `his.mllpUrl` setting, else null (not configured). */
export async function mllpUrl(db: DbTx, env: Env = process.env): Promise<string | null> {
  if (env.HIS_MLLP_URL) return env.HIS_MLLP_URL;
  const row = await db.setting.findUnique({ where: { key: MLLP_SETTING_KEY } });
  return typeof row?.value === 'string' ? row.value : null;
}

/** The admin page's HIS connection: the stored setting, and the environment variable that overrides it. */
export async function hisConnection(db: DbTx, env: Env = process.env): Promise<{ mllpUrl: string | null; environmentMllpUrl: string | null }> {
  const row = await db.setting.findUnique({ where: { key: MLLP_SETTING_KEY } });
  return { mllpUrl: typeof row?.value === 'string' ? row.value : null, environmentMllpUrl: env.HIS_MLLP_URL || null };
}

export const MLLP_URL_MESSAGE = 'Địa chỉ phải có dạng mllp://máy-chủ:cổng, ví dụ mllp://his.benhvien.local:2575.';

/** What an administrator may store: an MLLP address, or '' to remove it. */
export const hisConnectionSchema = z.object({
  mllpUrl: z.string().trim().max(200).refine((u) => u === '' || parseMllpUrl(u) !== null, MLLP_URL_MESSAGE),
}).strict();

/** Stores (or removes, for '') the HIS's MLLP address, audited. Workers pick it up within seconds. */
export async function saveHisConnection(db: Db, mllpUrl: string, actor: Principal): Promise<void> {
  await db.$transaction(async (tx) => {
    if (mllpUrl === '') await tx.setting.deleteMany({ where: { key: MLLP_SETTING_KEY } });
    else await tx.setting.upsert({ where: { key: MLLP_SETTING_KEY }, create: { key: MLLP_SETTING_KEY, value: mllpUrl, updatedBy: actor.name }, update: { value: mllpUrl, updatedBy: actor.name } });
    await audit(tx, { action: 'SETTING_CHANGED', actor, entityType: 'Setting', entityId: MLLP_SETTING_KEY, details: { cleared: mllpUrl === '' } });
  });
}

const PROBE_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'Máy chủ từ chối kết nối: cổng chưa mở hoặc HIS chưa chạy.',
  ENOTFOUND: 'Không tìm thấy máy chủ: tên máy sai hoặc DNS chưa biết tên này.',
  EHOSTUNREACH: 'Không tới được máy chủ: kiểm tra mạng.',
  ENETUNREACH: 'Không tới được mạng của máy chủ.',
  EAI_AGAIN: 'Chưa tra được tên máy chủ (DNS không trả lời); thử lại sau.',
  ETIMEDOUT: 'Máy chủ không phản hồi (hết thời gian chờ).',
};

/** Can a TCP connection be opened to the MLLP address? (Nothing is sent: a test message would reach the HIS's records.) */
export function probeMllp(target: MllpTarget, timeoutMs = 3_000): Promise<{ ok: true; ms: number } | { ok: false; text: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect({ host: target.host, port: target.port });
    const done = (result: { ok: true; ms: number } | { ok: false; text: string }) => { socket.destroy(); resolve(result); };
    socket.setTimeout(timeoutMs, () => done({ ok: false, text: `Không có phản hồi sau ${timeoutMs / 1000} giây.` }));
    socket.once('connect', () => done({ ok: true, ms: Date.now() - started }));
    socket.once('error', (error: NodeJS.ErrnoException) => done({ ok: false, text: PROBE_ERRORS[error.code ?? ''] ?? errorText(error) }));
  });
}

