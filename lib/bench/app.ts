import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import path from 'node:path';
import { commandLine, processTree } from './cpu';

/**
 * The app as `npm start` runs it (`tsx lib/cli/launch.ts start`: migrations, production build when sources
 * changed, then the supervised web server and hand-off worker), for benchmarks and the fault-injection suite.
 */
export function spawnApp(env: NodeJS.ProcessEnv, stdio: StdioOptions = ['ignore', 'ignore', 'inherit']): ChildProcess {
  return spawn(process.execPath, [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'lib/cli/launch.ts', 'start'], {
    stdio,
    env,
  });
}

/** Waits until `url` answers below 500; throws when `child` exits first or after `timeoutMs`. */
export async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 600_000): Promise<void> {
  for (const until = Date.now() + timeoutMs; Date.now() < until;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${url}: the server exited (${child.exitCode ?? child.signalCode})`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timeout waiting for ${url}`);
}

/** The hand-off worker started by the launcher `rootPid` (a descendant running worker-main), or null. */
export function workerPidOf(rootPid: number | undefined): number | null {
  if (!rootPid) return null;
  return processTree(rootPid).find((pid) => commandLine(pid).includes('worker-main')) ?? null;
}

/** SIGTERM to the launcher (it stops its children), then SIGKILL to whatever of its tree is left after 15 s. */
export async function stopApp(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const tree = processTree(child.pid!);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  for (const pid of tree)
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
}
