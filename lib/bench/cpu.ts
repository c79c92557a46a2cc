import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type pg from 'pg';

/**
 * CPU time of processes, read from /proc (Linux), for benchmarks on a shared machine: throughput moves with
 * whatever else the machine runs, CPU milliseconds per request much less. Everything returns null where /proc
 * cannot tell (another OS, or a PostgreSQL on another machine).
 */
const TICK_MS = (() => {
  try {
    return 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  } catch {
    return 10;
  }
})();

/** utime, stime, cutime, cstime (ms) of one process; null when it is gone. */
function stat(pid: number): { self: number; children: number } | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' '); // the command name may hold spaces
    const n = (i: number) => Number(fields[i - 3]); // fields are numbered from 1; pid and comm are cut off
    return { self: (n(14) + n(15)) * TICK_MS, children: (n(16) + n(17)) * TICK_MS };
  } catch {
    return null;
  }
}

export function childrenOf(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((tid) =>
        fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
      );
  } catch {
    return [];
  }
}

export function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** A process and all its descendants. */
export function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childrenOf(all[i]!));
  return all;
}

/**
 * CPU ms used so far by a process tree: the live processes' own time plus what their finished children used
 * (the kernel adds a reaped child's time to its parent), so connections that close do not take their CPU along.
 */
export function treeCpuMs(pid: number): number | null {
  let total = 0;
  let any = false;
  for (const p of processTree(pid)) {
    const s = stat(p);
    if (!s) continue;
    any = true;
    total += s.self + s.children;
  }
  return any ? total : null;
}

/** CPU ms of one process alone. */
export function processCpuMs(pid: number): number | null {
  return stat(pid)?.self ?? null;
}

/** The PostgreSQL server's postmaster, when it runs on this machine (found through a backend's parent). */
export async function postmasterPid(pool: pg.Pool): Promise<number | null> {
  const backend = Number((await pool.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  try {
    const ppid = Number(/^PPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${backend}/status`, 'utf8'))?.[1]);
    return /postgres|postmaster/.test(commandLine(ppid)) ||
      fs.readFileSync(`/proc/${ppid}/comm`, 'utf8').startsWith('postgres')
      ? ppid
      : null;
  } catch {
    return null;
  }
}

/** Busy and total CPU ms of the whole machine (all cores), from /proc/stat. */
export function machineCpuMs(): { busy: number; total: number } | null {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = cpu.reduce((a, b) => a + b, 0);
    return { busy: (total - cpu[3]! - cpu[4]!) * TICK_MS, total: total * TICK_MS };
  } catch {
    return null;
  }
}
