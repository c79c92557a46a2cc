import pino from 'pino';
import { createHash } from 'node:crypto';

/**
 * The secrets this process holds, as they could appear in a log line: the database password (as written in
 * DATABASE_URL and decoded), the BHXH gateway password (and its MD5, which the gateway accepts in its place), the
 * signing key's password, the session secret. Whatever a message or error says, these are replaced before the
 * line is written.
 */
function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = [env.BHXH_GATEWAY_PASSWORD, env.BHXH_SIGNING_P12_PASSWORD, env.NEXTAUTH_SECRET];
  if (env.BHXH_GATEWAY_PASSWORD) {
    const md5 = createHash('md5').update(env.BHXH_GATEWAY_PASSWORD).digest('hex');
    values.push(md5, md5.toUpperCase());
  }
  try {
    const password = env.DATABASE_URL ? new URL(env.DATABASE_URL).password : '';
    if (password) values.push(password, decodeURIComponent(password));
  } catch {
    /* unparseable: nothing to look for */
  }
  const found = values.filter((v): v is string => !!v && v.length >= 4);
  return [...new Set(found.flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]))]; // as is, and as escaped in JSON
}

let secrets: { key: string; values: string[] } | null = null;
export function scrubSecrets(line: string): string {
  const key = `${process.env.DATABASE_URL}|${process.env.BHXH_GATEWAY_PASSWORD}|${process.env.BHXH_SIGNING_P12_PASSWORD}|${process.env.NEXTAUTH_SECRET}`;
  if (secrets?.key !== key) secrets = { key, values: secretValues() };
  let out = line;
  for (const value of secrets.values) if (out.includes(value)) out = out.split(value).join('[secret]');
  return out;
}

/**
 * Structured JSON logs. Never pass ID numbers, names, addresses or health data:
 * log ids (uuid), codes and counts only. The redact list is a safety net, not a licence.
 */
export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
  base: { app: 'tiep-don' },
  redact: {
    paths: [
      'password',
      '*.password',
      'raw',
      '*.raw',
      'fullName',
      '*.fullName',
      'personalId',
      '*.personalId',
      'address',
      '*.address',
      'authorization',
      '*.authorization',
    ],
    censor: '[redacted]',
  },
  hooks: { streamWrite: scrubSecrets },
});
