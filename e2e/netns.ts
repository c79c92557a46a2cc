import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A second "PC" on a private link: a network namespace joined to this machine by a veth pair, the server side at
 * `serverIp` (on this machine) and the desk at `deskIp` (in the namespace). The namespace has no other interface
 * and no route, so the desk reaches the server's link address and nothing else (not this machine's loopback).
 * Needs root (CAP_NET_ADMIN); `canMakeNamespaces()` says why not otherwise.
 */
export type DeskNetwork = {
  name: string;
  serverIp: string;
  deskIp: string;
  /** Runs `command` inside the namespace: an executable to give Playwright's `chromium.launch({ executablePath })`. */
  wrap: (command: string) => string;
  remove: () => void;
};

const run = (args: string[], options: { check?: boolean } = {}) => {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (options.check !== false && result.status !== 0)
    throw new Error(`ip ${args.join(' ')}: ${result.stderr || result.error?.message}`);
  return result.stdout;
};

/** What `canMakeNamespaces` looks at, so a test can ask about another machine. */
export type NamespaceHost = {
  uid: number | undefined;
  /** Whether `command` can be run here (found on PATH). */
  has: (command: string) => boolean;
};

const thisHost: NamespaceHost = {
  uid: process.getuid?.(),
  has: (command) =>
    (spawnSync(command, ['--help'], { stdio: 'ignore' }).error as NodeJS.ErrnoException)?.code !== 'ENOENT',
};

/** Why a namespace (and the desk's trust store) cannot be made here, or null when it can. */
export function canMakeNamespaces(host: NamespaceHost = thisHost): string | null {
  if (host.uid !== 0)
    return 'ip netns needs root (CAP_NET_ADMIN): run as root, as CI does, to test a desk on another address';
  if (!host.has('ip')) return 'ip not found: apt-get install iproute2';
  if (!host.has('certutil')) return 'certutil not found: apt-get install libnss3-tools';
  return null;
}

/**
 * Whether the LAN desk test skips itself: on a developer machine that cannot make namespaces, yes (with the reason);
 * under CI (`CI` set) never: CI runs as root and `.ci/run` installs ip and certutil, so a missing piece there is a
 * broken CI machine, and a skip would let the one test of a desk on another address silently stop running.
 */
export function lanDeskSkipReason(
  reason: string | null = canMakeNamespaces(),
  env: Record<string, string | undefined> = process.env,
): string | null {
  if (reason === null) return null;
  if (env.CI)
    throw new Error(
      `e2e/lan-desk.spec.ts cannot run under CI (CI=${env.CI}): ${reason}. ` +
        'CI must run it as root with ip (iproute2) and certutil (libnss3-tools) installed, as .ci/run does; ' +
        'it is skipped only on a developer machine without CI set.',
    );
  return reason;
}

/** One namespace per E2E_PORT, so parallel runs on one machine keep apart; a leftover of a killed run is removed first. */
export function makeDeskNetwork(port: number): DeskNetwork {
  const name = `tiepdon-desk-${port}`;
  const hostIf = `td${port}h`; // interface names: at most 15 characters
  const deskIf = `td${port}d`;
  const subnet = `10.213.${port % 250}`;
  const clear = () => {
    // Everything still running in it (a browser that did not close), then the namespace; the veth pair goes with it.
    if (
      run(['netns', 'list'], { check: false })
        .split('\n')
        .some((line) => line.split(' ')[0] === name)
    ) {
      for (const pid of run(['netns', 'pids', name], { check: false }).split(/\s+/).filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // already gone
        }
      }
      run(['netns', 'del', name], { check: false });
    }
    run(['link', 'del', hostIf], { check: false }); // when the namespace was never made or is still going away
  };
  clear();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`)); // the wrapper scripts
  const remove = () => {
    clear();
    fs.rmSync(dir, { recursive: true, force: true });
    process.off('exit', remove);
  };
  process.on('exit', remove); // a worker that stops without running afterAll still leaves nothing behind
  try {
    run(['netns', 'add', name]);
    run(['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', deskIf]);
    run(['link', 'set', deskIf, 'netns', name]);
    run(['addr', 'add', `${subnet}.1/30`, 'dev', hostIf]);
    run(['link', 'set', hostIf, 'up']);
    run(['-n', name, 'addr', 'add', `${subnet}.2/30`, 'dev', deskIf]);
    run(['-n', name, 'link', 'set', deskIf, 'up']);
    run(['-n', name, 'link', 'set', 'lo', 'up']);
  } catch (error) {
    remove();
    throw error;
  }
  const wrap = (command: string) => {
    const file = path.join(dir, `${path.basename(command)}-in-${name}`);
    // exec all the way: the browser keeps the pid (and the pipe fds) Playwright gave the wrapper.
    fs.writeFileSync(file, `#!/bin/sh\nexec ip netns exec ${name} ${command} "$@"\n`, { mode: 0o755 });
    return file;
  };
  return { name, serverIp: `${subnet}.1`, deskIp: `${subnet}.2`, wrap, remove };
}
