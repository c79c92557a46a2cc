/**
 * Secrets reach only the process that needs them. The launcher hands each child its environment without the
 * other child's secrets: a flaw in the web server (the process the LAN talks to) cannot read the key that signs
 * the hospital's XML0 records for BHXH, and the hand-off worker holds neither the session-signing secret nor the
 * HTTPS private key. Both keep what they share: DATABASE_URL and the BHXH gateway account (the desk checks cards,
 * the worker sends XML0).
 */
const ONLY_FOR = {
  web: ['NEXTAUTH_SECRET', 'NEXTAUTH_URL', 'AUTH_TRUST_HOST', 'HTTPS_CERT', 'HTTPS_KEY'],
  worker: ['BHXH_SIGNING_P12', 'BHXH_SIGNING_P12_PASSWORD'],
} as const;

export type ChildProcess = keyof typeof ONLY_FOR;

export function envFor<E extends Record<string, string | undefined>>(child: ChildProcess, env: E): E {
  const out: Record<string, string | undefined> = { ...env };
  for (const [owner, names] of Object.entries(ONLY_FOR)) {
    if (owner !== child) for (const name of names) delete out[name];
  }
  return out as E;
}
