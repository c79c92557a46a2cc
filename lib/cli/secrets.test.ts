import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { envFor } from './child-env';
import { fhirTransport } from '../handoff/fhir-transport';

/** Secrets reach only the process that needs them, and never a log line or a stored error text. */
const SECRETS = {
  DATABASE_URL: 'postgresql://tiepdon:Db%23Secret42@db.benhvien.local:5432/tiepdon',
  NEXTAUTH_SECRET: 'session-signing-secret-xyz',
  HTTPS_KEY: '/etc/tiepdon/server.key',
  BHXH_GATEWAY_PASSWORD: 'Gw#Secret42',
  BHXH_SIGNING_P12: '/etc/tiepdon/ky-so.p12',
  BHXH_SIGNING_P12_PASSWORD: 'P12#Secret42',
};

describe('each child gets its own secrets only', () => {
  it('the web server: no XML0 signing key; the worker: no session secret, no HTTPS key', () => {
    const web = envFor('web', { ...SECRETS, PATH: '/usr/bin' });
    const worker = envFor('worker', { ...SECRETS, PATH: '/usr/bin' });
    expect(Object.keys(web).sort()).toEqual([
      'BHXH_GATEWAY_PASSWORD',
      'DATABASE_URL',
      'HTTPS_KEY',
      'NEXTAUTH_SECRET',
      'PATH',
    ]);
    expect(Object.keys(worker).sort()).toEqual([
      'BHXH_GATEWAY_PASSWORD',
      'BHXH_SIGNING_P12',
      'BHXH_SIGNING_P12_PASSWORD',
      'DATABASE_URL',
      'PATH',
    ]);
  });
});

describe('secrets stay out of logs and error texts', () => {
  it('a log line that quotes them (an error message with the database URL, a password) is written without them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiepdon-log-'));
    const script = path.join(dir, 'log-secrets.ts');
    fs.writeFileSync(
      script,
      `import { log } from ${JSON.stringify(path.resolve('lib/log.ts'))};
      const e = process.env;
      log.error({ err: 'could not connect to ' + e.DATABASE_URL, detail: { md5: process.argv[2] } }, 'gateway ' + e.BHXH_GATEWAY_PASSWORD + ' key ' + e.BHXH_SIGNING_P12_PASSWORD + ' ' + e.NEXTAUTH_SECRET + ' "' + decodeURIComponent('Db%23Secret42') + '"');`,
    );
    const gatewayMd5 = createHash('md5').update(SECRETS.BHXH_GATEWAY_PASSWORD).digest('hex').toUpperCase();
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, gatewayMd5], {
      env: { ...process.env, ...SECRETS, LOG_LEVEL: 'info' },
      encoding: 'utf8',
    });
    fs.rmSync(dir, { recursive: true, force: true });
    const output = run.stdout + run.stderr;
    expect(output).toContain('could not connect to postgresql://tiepdon:[secret]@db.benhvien.local');
    for (const secret of [
      'Db%23Secret42',
      'Db#Secret42',
      'Gw#Secret42',
      'P12#Secret42',
      'session-signing-secret-xyz',
      gatewayMd5,
    ]) {
      expect(output, secret).not.toContain(secret);
    }
  });

  it('a HIS URL with credentials: the delivery error stored and shown to staff does not repeat them', async () => {
    const outcome = await fhirTransport(
      'http://his-user:Fhir%23Secret42@127.0.0.1:1/fhir?token=Tok3nSecret',
      2000,
    ).send({
      id: 1n,
      encounterId: '00000000-0000-4000-8000-000000000001',
      facilityId: null,
      target: 'FHIR',
      event: 'A04',
      messageControlId: 'S-1',
      payload: '{}',
    });
    expect(outcome.kind).toBe('unreachable');
    const text = 'text' in outcome ? outcome.text : '';
    expect(text).toContain('127.0.0.1:1/fhir');
    expect(text).not.toMatch(/Fhir%23Secret42|his-user|Tok3nSecret/);
  });
});
