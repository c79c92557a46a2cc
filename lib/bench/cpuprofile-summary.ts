import fs from 'node:fs';

/**
 * `tsx lib/bench/cpuprofile-summary.ts <file.cpuprofile> [per]` — where a Node process spent its CPU, from a
 * `--cpu-prof` profile (e.g. `BENCH_PROFILE=dir npm run bench:checkin`): each sample is charged to the first
 * category found walking up from the sampled frame (a pg call made by app code is pg), idle time left out. With
 * `per` (e.g. the number of check-ins the process answered), milliseconds per unit are printed too. Then the
 * heaviest functions by self time.
 */
type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

// First match wins, frame by frame from the leaf up; the order within one frame is this list's.
const CATEGORIES: [string, (url: string, fn: string) => boolean][] = [
  ['GC', (_u, f) => f === '(garbage collector)'],
  ['pg driver', (u) => /node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-)/.test(u)],
  ['Prisma', (u) => /@prisma|lib\/db\/generated|prisma/.test(u)],
  ['zod', (u) => /node_modules\/zod|zod/.test(u)],
  ['next-auth / jose', (u) => /next-auth|jose|openid/.test(u)],
  ['metrics (prom-client)', (u) => /prom-client/.test(u)],
  ['logging (pino)', (u) => /pino|sonic-boom/.test(u)],
  ['graphile-worker', (u) => /graphile/.test(u)],
  ['app code (lib/, app/)', (u) => /\/lib\/|\/app\/|\.next\/server\/(app|chunks)\//.test(u) && !/node_modules/.test(u)],
  ['Next.js server', (u) => /node_modules\/next\//.test(u)],
  ['React', (u) => /react/.test(u)],
  ['tsx / module loading', (u) => /node_modules\/(tsx|esbuild)|node:internal\/modules/.test(u)],
  [
    'node: http / net / streams',
    (u) => /node:(internal\/)?(http|_http|net|stream|internal\/streams|events|timers|buffer|zlib|async_hooks)/.test(u),
  ],
  ['node: crypto', (u) => /node:(internal\/)?crypto/.test(u)],
  ['node: other', (u) => u.startsWith('node:')],
];

export function summarize(profile: Profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const categoryOf = new Map<number, string>();
  const classify = (id: number): string => {
    const known = categoryOf.get(id);
    if (known) return known;
    let result = 'other (native, program)';
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { url, functionName } = byId.get(at)!.callFrame;
      const hit = CATEGORIES.find(([, test]) => test(url, functionName));
      if (hit) {
        result = hit[0];
        break;
      }
    }
    categoryOf.set(id, result);
    return result;
  };
  const totals = new Map<string, number>();
  const self = new Map<number, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    if (byId.get(id)!.callFrame.functionName === '(idle)') return;
    busy += us;
    totals.set(classify(id), (totals.get(classify(id)) ?? 0) + us);
    self.set(id, (self.get(id) ?? 0) + us);
  });
  const functions = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(lib|app|\.next)\//, '$1/')}:${f.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  return {
    busyMs: busy / 1000,
    categories: [...totals].sort((a, b) => b[1] - a[1]).map(([k, us]) => [k, us / 1000] as const),
    functions: [...functions].sort((a, b) => b[1] - a[1]).map(([k, us]) => [k, us / 1000] as const),
  };
}

if (process.argv[1]?.endsWith('cpuprofile-summary.ts')) {
  const [file, perArg] = process.argv.slice(2);
  const per = Number(perArg) || 0;
  const { busyMs, categories, functions } = summarize(JSON.parse(fs.readFileSync(file!, 'utf8')));
  console.log(
    `${file}: ${busyMs.toFixed(0)} ms busy${per ? ` (${(busyMs / per).toFixed(3)} ms per unit, ${per} units)` : ''}`,
  );
  for (const [k, ms] of categories)
    console.log(
      `  ${k.padEnd(30)} ${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / busyMs).toFixed(1).padStart(5)} %${per ? `  ${(ms / per).toFixed(3)} ms/unit` : ''}`,
    );
  console.log('  heaviest functions (self time):');
  for (const [k, ms] of functions.slice(0, 25)) console.log(`    ${ms.toFixed(0).padStart(6)} ms  ${k}`);
}
