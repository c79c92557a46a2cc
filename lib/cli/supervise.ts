import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { log } from '../log';

/**
 * Keeps one child process of the launcher running (the web server, the hand-off worker): when it exits without
 * being asked to — a crash, a `kill -9`, the OOM killer — it is started again after a back-off (1 s, 2 s, 4 s …
 * 30 s, back to 1 s once a child has run for a minute), and the log says so. The new child is told how many
 * restarts came before it and how the last one ended (TIEPDON_RESTARTS, TIEPDON_LAST_EXIT), which its heartbeat
 * shows on the admin page. After `giveUpAfter` quick failures in a row (each child lived under a minute: a
 * port in use, a broken install) it gives up and `onGiveUp` ends the launcher with a failure code, so a service
 * manager (systemd, NSSM) sees the failure instead of a loop.
 *
 * Children get an IPC channel: they end with the launcher (lib/ops/lifeline.ts).
 */
export type SupervisedChild = {
  name: string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
  current: () => ChildProcess | null;
  restarts: () => number;
};

export type SuperviseOptions = {
  name: string;
  command: string;
  args: string[];
  options: SpawnOptions;
  onGiveUp: (name: string) => void;
  giveUpAfter?: number;
  stableMs?: number;
  maxBackoffMs?: number;
};

export function exitText(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}

export function supervise(o: SuperviseOptions): SupervisedChild {
  const giveUpAfter = o.giveUpAfter ?? 10;
  const stableMs = o.stableMs ?? 60_000;
  const maxBackoffMs = o.maxBackoffMs ?? 30_000;
  let child: ChildProcess | null = null;
  let stopping = false;
  let restarts = 0;
  let quickFailures = 0;
  let lastExit: string | null = null;
  let timer: NodeJS.Timeout | null = null;

  const start = () => {
    timer = null;
    const startedAt = Date.now();
    const env = {
      ...(o.options.env ?? process.env),
      TIEPDON_RESTARTS: String(restarts),
      TIEPDON_LAST_EXIT: lastExit ?? '',
    };
    const stdio = o.options.stdio ?? 'inherit';
    const withIpc = Array.isArray(stdio) ? [...stdio.slice(0, 3), 'ipc'] : [stdio, stdio, stdio, 'ipc'];
    const c = spawn(o.command, o.args, { ...o.options, env, stdio: withIpc as SpawnOptions['stdio'] });
    child = c;
    c.on('error', (error) => log.error({ child: o.name, err: error.message }, 'could not start child process'));
    c.once('exit', (code, signal) => {
      child = null;
      if (stopping) return;
      lastExit = `${exitText(code, signal)} at ${new Date().toISOString()}`;
      const lived = Date.now() - startedAt;
      quickFailures = lived < stableMs ? quickFailures + 1 : 1;
      if (quickFailures > giveUpAfter) {
        log.fatal(
          { child: o.name, code, signal, failures: quickFailures - 1 },
          `${o.name} keeps failing at start: giving up`,
        );
        o.onGiveUp(o.name);
        return;
      }
      const delay = Math.min(maxBackoffMs, 1_000 * 2 ** (quickFailures - 1));
      restarts++;
      log.error(
        { child: o.name, code, signal, livedMs: lived, restartInMs: delay, restarts },
        `${o.name} stopped unexpectedly (${exitText(code, signal)}): restarting`,
      );
      timer = setTimeout(start, delay);
    });
  };
  start();

  return {
    name: o.name,
    current: () => child,
    restarts: () => restarts,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      stopping = true;
      if (timer) clearTimeout(timer);
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill(signal);
      const hard = setTimeout(() => c.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(hard);
    },
  };
}
