import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';

/** The demo accounts' password, published in the README: never accepted as anyone's chosen password. */
export const DEMO_PASSWORD = 'Demo@12345';

/**
 * scrypt (memory-hard KDF, built into Node), N=2^15, r=8, p=1: 32 MiB and ~0.2 s per check on a 2-core
 * hospital server. OWASP's N=2^17 took ~0.7 s here, too slow for a desk at 6 a.m.; online guessing is
 * already capped by the 5-failure lock-out.
 * Stored as `scrypt$N$r$p$salt$hash` (base64url) so parameters can be raised later without breaking old hashes.
 */
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_LENGTH,
      { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of nothing, verified against when the username is unknown so timing does not reveal which accounts exist. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(12).toString('hex'));
  return dummyHash;
}

/** At least 8 characters with a letter and a digit, and not the published demo password: desk PCs are shared. */
export function passwordProblem(password: string): string | null {
  if (password.length < 8) return 'Mật khẩu phải có ít nhất 8 ký tự.';
  if (!/\p{L}/u.test(password) || !/\d/.test(password)) return 'Mật khẩu phải có cả chữ và số.';
  if (password === DEMO_PASSWORD) return 'Đây là mật khẩu demo đã công bố, không dùng được.';
  return null;
}

// No 0/O, 1/l/I: read from a screen or a log and typed at a desk.
const TEMPORARY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A generated password (first administrator, reset): 15 characters in groups of five (~74 bits), shown once. */
export function temporaryPassword(): string {
  for (;;) {
    const chars = Array.from({ length: 15 }, () => TEMPORARY_ALPHABET[randomInt(TEMPORARY_ALPHABET.length)]);
    const password = [0, 5, 10].map((i) => chars.slice(i, i + 5).join('')).join('-');
    if (!passwordProblem(password)) return password;
  }
}
