import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DbTx } from '../db/client';
import type { Jsonified } from '../http/json';
import type { Principal, Role } from './roles';

/**
 * API keys for kiosks, scanners and integrations: `td_<prefix>_<secret>`, sent as `Authorization: Bearer <key>`.
 * Only the SHA-256 of the whole key is stored (the key is 32 random bytes, so a slow KDF adds nothing);
 * the prefix finds the row without scanning.
 */
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The end dates an administrator chooses from (days; null = none), on the admin page and `--expires-days`. */
export const API_KEY_EXPIRY_CHOICES = [30, 90, 365, null] as const;
export const MAX_API_KEY_DAYS = 3650;

export function expiryFromDays(days: number | null | undefined, now = new Date()): Date | null {
  return days ? new Date(now.getTime() + days * 86_400_000) : null;
}

export async function createApiKey(
  db: DbTx,
  input: { name: string; role: Role; facilityId: string; expiresAt?: Date | null },
): Promise<{ id: string; key: string }> {
  const prefix = randomBytes(6).toString('hex');
  const key = `td_${prefix}_${randomBytes(24).toString('base64url')}`;
  const row = await db.apiKey.create({ data: { ...input, prefix, keyHash: sha256(key) }, select: { id: true } });
  return { id: row.id, key };
}

/**
 * Verified keys are remembered for 30 s, so a kiosk's burst of requests costs one look-up; a revocation
 * therefore takes effect within 30 s on other app instances (at once on this one). An expiry takes effect at its
 * instant everywhere (the cached entry never outlives it).
 */
const CACHE_MS = 30_000;
const verified = new Map<string, { principal: Principal; until: number }>();

export async function verifyApiKey(db: DbTx, key: string, now = new Date()): Promise<Principal | null> {
  const match = /^td_([0-9a-f]{12})_[A-Za-z0-9_-]{32}$/.exec(key);
  if (!match) return null;
  const cacheKey = sha256(key);
  const cached = verified.get(cacheKey);
  if (cached && cached.until > now.getTime()) return cached.principal;
  const row = await db.apiKey.findUnique({
    where: { prefix: match[1]! },
    include: { facility: { select: { code: true } } },
  });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  const expected = Buffer.from(row.keyHash, 'hex');
  const actual = Buffer.from(sha256(key), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } }); // at most once a minute
  }
  const principal: Principal = {
    kind: 'API_KEY',
    id: row.id,
    name: row.name,
    role: row.role,
    facilityId: row.facilityId,
    facilityCode: row.facility.code,
  };
  if (verified.size > 10_000) verified.clear();
  verified.set(cacheKey, {
    principal,
    until: Math.min(now.getTime() + CACHE_MS, row.expiresAt?.getTime() ?? Infinity),
  });
  return principal;
}

/** Revokes a key (of `facilityId` only, when given: an administrator revokes their own facility's keys). */
export async function revokeApiKey(
  db: DbTx,
  id: string,
  options: { facilityId?: string; now?: Date } = {},
): Promise<boolean> {
  const { count } = await db.apiKey.updateMany({
    where: { id, revokedAt: null, ...(options.facilityId ? { facilityId: options.facilityId } : {}) },
    data: { revokedAt: options.now ?? new Date() },
  });
  for (const [k, v] of verified) if (v.principal.id === id) verified.delete(k);
  return count === 1;
}

/** A facility's keys for the admin page: never the keys themselves, with their last use and end date. */
export function listApiKeys(db: DbTx, facilityId: string) {
  return db.apiKey.findMany({
    where: { facilityId },
    select: {
      id: true,
      name: true,
      role: true,
      prefix: true,
      createdAt: true,
      lastUsedAt: true,
      expiresAt: true,
      revokedAt: true,
    },
    orderBy: { createdAt: 'desc' },
  });
}

export type ApiKeyRow = Awaited<ReturnType<typeof listApiKeys>>[number];
/** 200 from GET /api/v1/api-keys. */
export type ApiKeysResponse = Jsonified<{ keys: ApiKeyRow[] }>;
/** 201 from POST /api/v1/api-keys: the key itself, shown this once. */
export type ApiKeyCreatedResponse = Jsonified<{ id: string; key: string; expiresAt: Date | null }>;
/** 200 from DELETE /api/v1/api-keys/:id. */
export type ApiKeyRevokedResponse = { revoked: true };
