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

/**
 * The HIS's MLLP address is per facility (one database may serve several, each with its own HIS): the setting
 * `his.mllpUrl:<facility id>`. A message goes to its encounter's facility's HIS (an A40's: HandoffMessage.facilityId).
 */
export const MLLP_SETTING_PREFIX = 'his.mllpUrl:';
export const mllpSettingKey = (facilityId: string) => `${MLLP_SETTING_PREFIX}${facilityId}`;

export type MllpTarget = { host: string; port: number };

export function parseMllpUrl(url: string): MllpTarget | null {
  const m = /^mllp:\/\/([^:/\s]+|\[[0-9a-fA-F:]+\]):(\d{1,5})\/?$/.exec(url.trim());
  if (!m) return null;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return null;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

/** HIS_MLLP_URL from the environment (one HIS for every facility), else the facility's setting, else null (not configured). */
export async function mllpUrl(db: DbTx, facilityId: string | null, env: Env = process.env): Promise<string | null> {
  if (env.HIS_MLLP_URL) return env.HIS_MLLP_URL;
  if (!facilityId) return null;
  const row = await db.setting.findUnique({ where: { key: mllpSettingKey(facilityId) } });
  return typeof row?.value === 'string' ? row.value : null;
}

/** The admin page's HIS connection for its facility: the stored setting, and the environment variable that overrides it. */
export async function hisConnection(
  db: DbTx,
  facilityId: string,
  env: Env = process.env,
): Promise<{ mllpUrl: string | null; environmentMllpUrl: string | null }> {
  const row = await db.setting.findUnique({ where: { key: mllpSettingKey(facilityId) } });
  return { mllpUrl: typeof row?.value === 'string' ? row.value : null, environmentMllpUrl: env.HIS_MLLP_URL || null };
}

export const MLLP_URL_MESSAGE = 'Địa chỉ phải có dạng mllp://máy-chủ:cổng, ví dụ mllp://his.benhvien.local:2575.';

/** What an administrator may store: an MLLP address, or '' to remove it. */
export const hisConnectionSchema = z
  .object({
    mllpUrl: z
      .string()
      .trim()
      .max(200)
      .refine((u) => u === '' || parseMllpUrl(u) !== null, MLLP_URL_MESSAGE),
  })
  .strict();

/**
 * Stores (or removes, for '') the administrator's facility's HIS MLLP address, audited. Workers pick it up within seconds, and then
 * release the messages held for want of an address (WAITING_CONFIG).
 */
export async function saveHisConnection(db: Db, mllpUrl: string, actor: Principal): Promise<void> {
  const key = mllpSettingKey(actor.facilityId); // the administrator's own facility, never another's
  await db.$transaction(async (tx) => {
    if (mllpUrl === '') await tx.setting.deleteMany({ where: { key } });
    else
      await tx.setting.upsert({
        where: { key },
        create: { key, value: mllpUrl, updatedBy: actor.name },
        update: { value: mllpUrl, updatedBy: actor.name },
      });
    // A new address is a new destination: its circuit starts closed (breaker.ts), and what the old one held is
    // released by the workers' next sweep and tried there, instead of waiting for the old address's next probe.
    await tx.handoffTargetState.deleteMany({ where: { target: 'HL7V2', facilityId: actor.facilityId } });
    await audit(tx, {
      action: 'SETTING_CHANGED',
      actor,
      entityType: 'Setting',
      entityId: key,
      details: { cleared: mllpUrl === '' },
    });
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
export function probeMllp(
  target: MllpTarget,
  timeoutMs = 3_000,
): Promise<{ ok: true; ms: number } | { ok: false; text: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect({ host: target.host, port: target.port });
    const done = (result: { ok: true; ms: number } | { ok: false; text: string }) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, text: `Không có phản hồi sau ${timeoutMs / 1000} giây.` }));
    socket.once('connect', () => done({ ok: true, ms: Date.now() - started }));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done({ ok: false, text: PROBE_ERRORS[error.code ?? ''] ?? errorText(error) }),
    );
  });
}

/** 200 from GET and PUT /api/v1/settings/his. */
export type HisConnectionResponse = Awaited<ReturnType<typeof hisConnection>>;
/** 200 from POST /api/v1/settings/his/probe: whether the address answered. */
export type HisProbeResponse = { url: string } & Awaited<ReturnType<typeof probeMllp>>;
