/**
 * What the page's main thread did, from a Chromium performance trace (Playwright's browser.startTracing, category
 * devtools.timeline): events nested by time on the renderer's main thread, each one's self time (its duration less
 * its children's), summed by kind — script by file and function, style, layout, paint, GC… — over all tasks and
 * over the long ones (> 50 ms) only. For `npm run bench:desk` with BENCH_TRACE.
 */
type TraceEvent = {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, unknown> };
};

const LONG_US = 50_000;

function kindOf(e: TraceEvent): string {
  const data = e.args?.data ?? {};
  if (
    e.name === 'FunctionCall' ||
    e.name === 'EvaluateScript' ||
    e.name === 'v8.compile' ||
    e.name === 'v8.compileModule'
  ) {
    const url = String(data.url ?? '')
      .replace(/^.*\/_next\/static\//, '')
      .replace(/^https?:\/\/[^/]+/, '');
    const fn = data.functionName ? ` ${String(data.functionName)}` : '';
    return `${e.name}: ${url || '(inline)'}${e.name === 'FunctionCall' ? fn : ''}`;
  }
  if (e.name === 'EventDispatch') return `EventDispatch ${String(data.type ?? '')}`;
  if (e.name === 'TimerFire' || e.name === 'FireAnimationFrame' || e.name === 'XHRReadyStateChange') return e.name;
  return e.name;
}

export function summarizeTrace(events: TraceEvent[]) {
  const threadName = new Map<string, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  // The renderer main thread with the most work: the page's.
  const work = new Map<string, number>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph === 'X' && e.name === 'RunTask' && threadName.get(key) === 'CrRendererMain')
      work.set(key, (work.get(key) ?? 0) + (e.dur ?? 0));
  }
  const main = [...work].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!main) return null;
  const mine = events
    .filter((e) => e.ph === 'X' && `${e.pid}:${e.tid}` === main && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const all = new Map<string, number>();
  const inLong = new Map<string, number>();
  const longTasks: { ts: number; dur: number; top: [string, number][] }[] = [];
  const stack: { e: TraceEvent; childUs: number; task: { long: boolean; kinds: Map<string, number> } }[] = [];
  const close = (until: number) => {
    while (stack.length && stack[stack.length - 1]!.e.ts + stack[stack.length - 1]!.e.dur! <= until) {
      const { e, childUs, task } = stack.pop()!;
      const self = Math.max(0, e.dur! - childUs);
      const kind = kindOf(e);
      all.set(kind, (all.get(kind) ?? 0) + self);
      task.kinds.set(kind, (task.kinds.get(kind) ?? 0) + self);
      if (task.long) inLong.set(kind, (inLong.get(kind) ?? 0) + self);
      if (stack.length === 0 && task.long) {
        longTasks.push({ ts: e.ts, dur: e.dur!, top: [...task.kinds].sort((a, b) => b[1] - a[1]).slice(0, 4) });
      }
    }
  };
  for (const e of mine) {
    close(e.ts);
    const parent = stack[stack.length - 1];
    if (parent) parent.childUs += e.dur!;
    const task = parent ? parent.task : { long: e.dur! > LONG_US, kinds: new Map<string, number>() };
    stack.push({ e, childUs: 0, task });
  }
  close(Infinity);
  const ms = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, us]) => [k, us / 1000] as const);
  return {
    all: ms(all),
    inLong: ms(inLong),
    longTasks: longTasks.map((t) => ({ durMs: t.dur / 1000, top: t.top.map(([k, us]) => [k, us / 1000] as const) })),
  };
}

export function printTraceSummary(label: string, events: TraceEvent[], rows = 12) {
  const s = summarizeTrace(events);
  if (!s) return console.log(`${label}: no renderer main thread in the trace`);
  const f = (xs: readonly (readonly [string, number])[]) =>
    xs
      .slice(0, rows)
      .map(([k, v]) => `    ${v.toFixed(1).padStart(8)} ms  ${k}`)
      .join('\n');
  console.log(`\n${label}: main thread, self time by kind (all tasks)\n${f(s.all)}`);
  console.log(`  in the ${s.longTasks.length} tasks over 50 ms:\n${f(s.inLong)}`);
  for (const t of s.longTasks.sort((a, b) => b.durMs - a.durMs).slice(0, 5)) {
    console.log(`  long task ${t.durMs.toFixed(0)} ms: ${t.top.map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join('; ')}`);
  }
}
