import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canMakeNamespaces, lanDeskSkipReason } from '../e2e/netns';

/**
 * e2e/lan-desk.spec.ts (a desk on another address, in a network namespace) skips itself on a developer machine that
 * cannot make namespaces, but never under CI: there a missing root, `ip` or `certutil` fails the run with a message.
 */
const host = (uid: number, missing: string[] = []) => ({ uid, has: (command: string) => !missing.includes(command) });

describe('canMakeNamespaces', () => {
  it('needs root, ip and certutil', () => {
    expect(canMakeNamespaces(host(0))).toBeNull();
    expect(canMakeNamespaces(host(1000))).toMatch(/root/);
    expect(canMakeNamespaces(host(0, ['ip']))).toMatch(/ip not found.*iproute2/);
    expect(canMakeNamespaces(host(0, ['certutil']))).toMatch(/certutil not found.*libnss3-tools/);
  });
});

describe('lanDeskSkipReason', () => {
  it('skips on a developer machine without CI, with the reason', () => {
    expect(lanDeskSkipReason(canMakeNamespaces(host(1000)), {})).toMatch(/root/);
    expect(lanDeskSkipReason(canMakeNamespaces(host(0, ['certutil'])), {})).toMatch(/certutil/);
    expect(lanDeskSkipReason(null, {})).toBeNull();
  });

  it('fails under CI instead of skipping, saying what CI lacks', () => {
    expect(() => lanDeskSkipReason(canMakeNamespaces(host(1000)), { CI: 'true' })).toThrow(
      /lan-desk\.spec\.ts cannot run under CI.*root/,
    );
    expect(() => lanDeskSkipReason(canMakeNamespaces(host(0, ['ip'])), { CI: '1' })).toThrow(/ip not found/);
    expect(lanDeskSkipReason(null, { CI: 'true' })).toBeNull();
  });

  it('the spec itself: under CI on a machine without ip or certutil, Playwright fails to load it (no skip)', () => {
    // A PATH holding node alone: no ip, no certutil. `--list` loads the spec without starting the app.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'tiepdon-no-ip-'));
    try {
      fs.symlinkSync(process.execPath, path.join(bin, 'node'));
      const list = (env: NodeJS.ProcessEnv) =>
        spawnSync(
          process.execPath,
          [path.join('node_modules', '@playwright', 'test', 'cli.js'), 'test', 'e2e/lan-desk.spec.ts', '--list'],
          { encoding: 'utf8', env, timeout: 60_000 },
        );
      const { CI: _ci, ...withoutCi } = process.env;
      const ci = list({ ...withoutCi, PATH: bin, CI: 'true' });
      expect(ci.status, ci.stdout + ci.stderr).not.toBe(0);
      expect(ci.stdout + ci.stderr).toContain('e2e/lan-desk.spec.ts cannot run under CI');
      expect(ci.stdout + ci.stderr).toMatch(/ip not found|root/);

      const dev = list({ ...withoutCi, PATH: bin });
      expect(dev.status, dev.stdout + dev.stderr).toBe(0);
      expect(dev.stdout).toContain('Total: 2 tests in 1 file');
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });
});
