import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { prepared, sql, type Queryable } from '../db/pg';
import { audit } from '../audit';
import type { Actor } from '../auth/roles';
import { IDENTIFIER_SYSTEMS, maskIdentifier, type IdentifierSystem } from '../identity';
import type { Sex } from '../codes';

/**
 * "Not found" at the desk must not turn check-in into a look-up oracle. Likely duplicates (same name and birth
 * date in the shared patient index) are answered as masked summaries — name, birth year, sex, the last 4
 * characters of current identifiers — each with an opaque token. The record behind a token (full birth date,
 * address, patient id) is revealed only when the receptionist picks that candidate, and that reveal is audited
 * with the patient's id. The token is bound to the principal that received it and expires: it cannot be
 * replayed by another desk or used as a patient id elsewhere.
 */

/** An identifier as the desk sees it: its system and a masked value (`********2345`). Never retired ones. */
export type MaskedIdentifier = { system: IdentifierSystem; masked: string };

export type CandidateSummary = {
  /** Opaque: reveal it (POST /api/v1/checkins/candidates/reveal) or check in with it (`samePatientToken`). */
  token: string;
  fullName: string;
  birthYear: number;
  sex: Sex | null;
  identifiers: MaskedIdentifier[];
};

export type RevealedCandidate = {
  id: string;
  fullName: string;
  birthDate: string;
  sex: Sex | null;
  address: string | null;
  identifiers: MaskedIdentifier[];
};

export function maskIdentifiers(
  identifiers: { system: IdentifierSystem; value: string; retiredAt?: string | Date | null }[],
): MaskedIdentifier[] {
  return identifiers
    .filter((i) => !i.retiredAt)
    .sort((a, b) => IDENTIFIER_SYSTEMS.indexOf(a.system) - IDENTIFIER_SYSTEMS.indexOf(b.system)) // strongest first, stable
    .map((i) => ({ system: i.system, masked: maskIdentifier(i.value) }));
}

// ---- tokens: AES-256-GCM over (patient id, principal id, expiry), so they carry nothing readable ----

/** How long a receptionist has to pick a candidate after the "not found" answer. */
export const CANDIDATE_TOKEN_TTL_MS = 15 * 60_000;

let processKey: Buffer | null = null;
/**
 * Derived from NEXTAUTH_SECRET (which every app instance of one installation shares, so a token minted by one
 * instance opens on another); without it (tests, a bare `next dev`), a key of this process.
 */
function tokenKey(): Buffer {
  const secret = process.env.NEXTAUTH_SECRET;
  if (secret) return Buffer.from(hkdfSync('sha256', secret, 'tiepdon', 'candidate-token-v1', 32));
  processKey ??= randomBytes(32);
  return processKey;
}

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const uuidText = (b: Buffer) => b.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

export function mintCandidateToken(actor: Actor, patientId: string, now = Date.now()): string {
  const plain = Buffer.concat([uuidBytes(patientId), uuidBytes(actor.id), Buffer.alloc(6)]);
  plain.writeUIntBE(now + CANDIDATE_TOKEN_TTL_MS, 32, 6);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', tokenKey(), iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** The patient id behind a token this principal received, or null (forged, another principal's, expired). */
export function openCandidateToken(actor: Actor, token: string, now = Date.now()): string | null {
  if (!/^[A-Za-z0-9_-]{80,120}$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== 12 + 38 + 16) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', tokenKey(), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    const plain = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
    if (uuidText(plain.subarray(16, 32)) !== actor.id.toLowerCase()) return null;
    if (plain.readUIntBE(32, 6) < now) return null;
    return uuidText(plain.subarray(0, 16));
  } catch {
    return null;
  }
}

// ---- reveal ----

const REVEAL = prepared(
  'candidate-reveal',
  `SELECT p.id::text AS id, p."fullName", p."birthDate", p.sex::text AS sex, p.address, p."mergedIntoId"::text AS "mergedIntoId",
    COALESCE((SELECT json_agg(json_build_object('system', i.system, 'value', i.value) ORDER BY i."createdAt", i.id)
      FROM "PatientIdentifier" i WHERE i."patientId" = p.id AND i."retiredAt" IS NULL), '[]') AS identifiers
  FROM "Patient" p WHERE p.id = $1::uuid`,
);

/** The record behind a candidate the receptionist picked, audited with its id; null when the token does not open. */
export async function revealCandidate(db: Queryable, actor: Actor, token: string): Promise<RevealedCandidate | null> {
  const patientId = openCandidateToken(actor, token);
  if (!patientId) return null;
  const [row] = await sql(db)<
    Omit<RevealedCandidate, 'identifiers'> & {
      mergedIntoId: string | null;
      identifiers: { system: IdentifierSystem; value: string }[];
    }
  >(REVEAL, patientId);
  if (!row || row.mergedIntoId) return null;
  await audit(db, {
    action: 'PATIENT_CANDIDATE_REVEALED',
    actor,
    patientId,
    entityType: 'Patient',
    entityId: patientId,
    details: { reason: 'likely-duplicate' },
  });
  return {
    id: row.id,
    fullName: row.fullName,
    birthDate: row.birthDate,
    sex: row.sex,
    address: row.address,
    identifiers: maskIdentifiers(row.identifiers),
  };
}

// ---- rate limit of "not found" answers, per principal ----

/** Not-found answers one principal may receive in `window` (a busy desk at go-live sees ~1 new patient a minute). */
export function notFoundLimit(env: Record<string, string | undefined> = process.env): {
  max: number;
  windowMs: number;
} {
  const max = Number(env.CHECKIN_NOT_FOUND_LIMIT);
  return { max: Number.isInteger(max) && max > 0 ? max : 30, windowMs: 10 * 60_000 };
}

// The audit trail is the counter: every not-found answer already writes a row (indexed by actor and time), so the
// limit holds across app instances and restarts, and costs one index probe on the not-found path only.
const RECENT_NOT_FOUND = prepared(
  'checkin-recent-not-found',
  `SELECT count(*)::int AS n, min(at) AS oldest FROM "AuditEvent"
  WHERE "actorId" = $1::uuid AND at > $2 AND action = 'PATIENT_LOOKUP' AND outcome = 'FAILURE'`,
);

/** Null when the principal may have another not-found answer; else the seconds until it may. */
export async function notFoundRetryAfter(db: Queryable, actor: Actor, now = new Date()): Promise<number | null> {
  const { max, windowMs } = notFoundLimit();
  const [row] = await sql(db)<{ n: number; oldest: Date | null }>(
    RECENT_NOT_FOUND,
    actor.id,
    new Date(now.getTime() - windowMs),
  );
  if (!row || row.n < max) return null;
  return Math.max(1, Math.ceil(((row.oldest?.getTime() ?? now.getTime()) + windowMs - now.getTime()) / 1000));
}
