import { spawn } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { supervise, type SupervisedChild } from './supervise';
import { waitFor } from '../handoff/test-fixtures';

/** The launcher's supervision of its children, with real processes. */
const running: SupervisedChild[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.stop('SIGKILL');
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('a child killed with SIGKILL is started again, and told how the last one ended', async () => {
  const lines: string[] = [];
  const child = supervise({
    name: 'test-child',
    command: process.execPath,
    args: [
      '-e',
      'console.log(`${process.env.TIEPDON_RESTARTS}|${process.env.TIEPDON_LAST_EXIT}`); setInterval(() => {}, 1000)',
    ],
    options: { stdio: ['ignore', 'pipe', 'inherit'] },
    onGiveUp: () => {
      throw new Error('must not give up');
    },
  });
  running.push(child);
  const watch = () => child.current()?.stdout?.on('data', (b: Buffer) => lines.push(b.toString().trim()));
  watch();
  await waitFor(async () => lines.length === 1);
  expect(lines[0]).toBe('0|');
  const first = child.current()!.pid!;
  process.kill(first, 'SIGKILL');
  await waitFor(async () => child.current() && child.current()!.pid !== first, 10_000);
  watch();
  await waitFor(async () => lines.length === 2, 10_000);
  expect(lines[1]).toMatch(/^1\|signal SIGKILL at \d{4}-/);
  expect(child.restarts()).toBe(1);
});

it('gives up after repeated quick failures (a broken start), so the service manager sees a failure', async () => {
  let gaveUp = '';
  const started = Date.now();
  const child = supervise({
    name: 'broken',
    command: process.execPath,
    args: ['-e', 'process.exit(3)'],
    options: { stdio: 'ignore' },
    giveUpAfter: 2,
    onGiveUp: (name) => {
      gaveUp = name;
    },
  });
  running.push(child);
  await waitFor(async () => gaveUp, 15_000);
  expect(gaveUp).toBe('broken');
  expect(child.restarts()).toBe(2);
  expect(Date.now() - started).toBeGreaterThanOrEqual(3_000); // back-off: 1 s, then 2 s
});

it('children end with the launcher, even when it is killed with SIGKILL (no orphans)', async () => {
  const launcherScript = `
    import { supervise } from './lib/cli/supervise.ts';
    const c = supervise({ name: 'w', command: process.execPath, onGiveUp: () => {}, options: { stdio: 'inherit' },
      args: ['--import', 'tsx', '-e', "import { exitWithParent } from './lib/ops/lifeline.ts'; exitWithParent(() => process.exit(0)); console.log('ready'); setInterval(() => {}, 1000);"] });
    const t = setInterval(() => { if (c.current()?.pid) { console.log(c.current().pid); clearInterval(t); } }, 50);`;
  const launcher = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', launcherScript], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The launcher prints the child's pid; the child (same stdout) prints 'ready' once its lifeline is set. Waiting for
  // that, not for a fixed time: on a loaded machine loading tsx alone has taken longer than 1.5 s.
  let out = '';
  launcher.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
  });
  await waitFor(async () => /^\d+$/m.test(out) && /^ready$/m.test(out), 20_000);
  const childPid = Number(/^(\d+)$/m.exec(out)![1]);
  expect(alive(childPid)).toBe(true);
  launcher.kill('SIGKILL');
  await waitFor(async () => !alive(childPid), 10_000);
}, 45_000);
