import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DbTx } from '../db/client';
import type { Principal, Role } from './roles';

/**
 * API keys for kiosks, scanners and integrations: `td_<prefix>_<secret>`, sent as `Authorization: Bearer <key>`.
 * Only the SHA-256 of the whole key is stored (the key is 32 random bytes, so a slow KDF adds nothing);
 * the prefix finds the row without scanning.
 */
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function createApiKey(db: DbTx, input: { name: string; role: Role; facilityId: string }): Promise<{ id: string; key: string }> {
  const prefix = randomBytes(6).toString('hex');
  const key = `td_${prefix}_${randomBytes(24).toString('base64url')}`;
  const row = await db.apiKey.create({ data: { ...input, prefix, keyHash: sha256(key) }, select: { id: true } });
  return { id: row.id, key };
}

/**
 * Verified keys are remembered for 30 s, so a kiosk's burst of requests costs one look-up; a revocation
 * therefore takes effect within 30 s on other app instances (at once on this one).
 */
const CACHE_MS = 30_000;
const verified = new Map<string, { principal: Principal; until: number }>();

export async function verifyApiKey(db: DbTx, key: string, now = new Date()): Promise<Principal | null> {
  const match = /^td_([0-9a-f]{12})_[A-Za-z0-9_-]{32}$/.exec(key);
  if (!match) return null;
  const cacheKey = sha256(key);
  const cached = verified.get(cacheKey);
  if (cached && cached.until > now.getTime()) return cached.principal;
  const row = await db.apiKey.findUnique({ where: { prefix: match[1]! }, include: { facility: { select: { code: true } } } });
  if (!row || row.revokedAt) return null;
  const expected = Buffer.from(row.keyHash, 'hex');
  const actual = Buffer.from(sha256(key), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } }); // at most once a minute
  }
  const principal: Principal = { kind: 'API_KEY', id: row.id, name: row.name, role: row.role, facilityId: row.facilityId, facilityCode: row.facility.code };
  if (verified.size > 10_000) verified.clear();
  verified.set(cacheKey, { principal, until: now.getTime() + CACHE_MS });
  return principal;
}

export async function revokeApiKey(db: DbTx, id: string, now = new Date()): Promise<boolean> {
  const { count } = await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
  for (const [k, v] of verified) if (v.principal.id === id) verified.delete(k);
  return count === 1;
}
