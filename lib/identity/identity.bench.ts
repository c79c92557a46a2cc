/**
 * Throughput benchmark for parseIdentity, one core, plain loop with performance.now().
 *   npx tsx lib/identity/identity.bench.ts            (~10 s)
 *   npx tsx lib/identity/identity.bench.ts --quick    (~3 s)
 * For each payload kind: warm-up, then a timed run; prints payloads/second for parseIdentity and, as a
 * baseline on the same payloads, for a bare `raw.split('|')`.
 */
import { parseIdentity } from './index';
import { bhytNewPayload, bhytOldPayload, cccdPayload } from './test-fixtures';

const quick = process.argv.includes('--quick');
const WARMUP_MS = quick ? 100 : 300;
const MEASURE_MS = quick ? 250 : 700;
const VARIANTS = 256;

// Deterministic pseudo-random source so every run benchmarks the same synthetic payloads.
let seed = 0x5eed;
const rnd = (n: number) => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed >>> 8) % n;
};
const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)] as T;
const digits = (n: number) => Array.from({ length: n }, () => rnd(10)).join('');
const p2 = (n: number) => String(n).padStart(2, '0');

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Lương', 'Quách', 'Thạch'];
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Ngọc', 'Minh', 'Hữu', 'Gia', 'Bảo'];
const GIVEN = ['Bình', 'Châu', 'Dũng', 'Đạt', 'Giang', 'Khoa', 'Lan', 'Mai', 'Phúc', 'Tâm', 'Yến', 'Ánh'];
const PLACES = [
  'Số 5 Ngõ 12 Phố Huế',
  'Phường Hai Bà Trưng',
  'Quận Hoàn Kiếm',
  'Thành phố Hà Nội',
  'Ấp 3, Xã Tân Hưng',
  'Tỉnh Lâm Đồng',
];
const PROV = ['01', '31', '38', '48', '79', '92'];
const name = () => `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
const address = () => `${pick(PLACES)}, ${pick(PLACES)}, ${pick(PLACES)}`;
const date = (y0: number, span: number) => ({ d: 1 + rnd(28), m: 1 + rnd(12), y: y0 + rnd(span) });
const dmy = (x: { d: number; m: number; y: number }) => `${p2(x.d)}${p2(x.m)}${x.y}`;
const slashed = (x: { d: number; m: number; y: number }) => `${p2(x.d)}/${p2(x.m)}/${x.y}`;

function cccd(layout: '2021' | '2024'): string {
  const dob = date(1940, 80);
  const male = rnd(2) === 0;
  const g = Math.floor((dob.y - 1900) / 100) * 2 + (male ? 0 : 1);
  return cccdPayload({
    id: `0${pick(PROV)}${g}${p2(dob.y % 100)}${digits(6)}`,
    cmnd: layout === '2021' && rnd(2) === 0 ? digits(9) : '',
    name: name(),
    dob: dmy(dob),
    sex: male ? 'Nam' : 'Nữ',
    address: address(),
    issued: dmy(date(2021, 4)),
    layout,
  });
}

function bhytCommon(bhxh: string) {
  return {
    name: name(),
    dob: rnd(5) === 0 ? String(1940 + rnd(60)) : slashed(date(1940, 80)),
    sex: rnd(2) ? '1' : '2',
    facility: `${pick(PROV)} - ${digits(3)}`,
    from: slashed(date(2020, 3)),
    issued: slashed(date(2019, 1)),
    mgmt: digits(4) + bhxh,
    five: rnd(2) ? '-' : ' ' + slashed(date(2026, 5)),
  };
}
function bhytOld(): string {
  const bhxh = digits(10);
  return bhytOldPayload({
    ...bhytCommon(bhxh),
    code: `${pick(['DN', 'HT', 'TE', 'GD', 'HS'])}${1 + rnd(5)}${pick(PROV)}${bhxh}`,
    address: address(),
    to: slashed(date(2023, 3)),
  });
}
function bhytNew(): string {
  const bhxh = digits(10);
  return bhytNewPayload({
    ...bhytCommon(bhxh),
    code: bhxh,
    to: '-',
    level: String(1 + rnd(5)),
    issuePlace: `${pick(PLACES)}, ${pick(PLACES)}`,
  });
}

const KINDS: [string, () => string][] = [
  ['CCCD 2021 QR', () => cccd('2021')],
  ['Căn cước 2024 QR', () => cccd('2024')],
  ['BHYT QR (old)', bhytOld],
  ['BHYT QR (new)', bhytNew],
  ['Personal ID (typed)', () => `0${pick(PROV)} ${rnd(4)}${digits(2)} ${digits(6)}`],
  ['CMND (typed)', () => digits(9)],
  ['BHXH number (typed)', () => digits(10)],
  ['BHYT code (typed)', () => `${pick(['dn', 'HT', 'te'])}${1 + rnd(5)} ${pick(PROV)} ${digits(10)}`],
  ['Rejected (URL)', () => `https://example.invalid/qr/${digits(24)}`],
];

let sink = 0;

function rate(payloads: readonly string[], fn: (s: string) => number): number {
  const n = payloads.length;
  const run = (ms: number): [number, number] => {
    let count = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < ms) {
      for (let i = 0; i < 1024; i++) sink += fn(payloads[(count + i) % n] as string);
      count += 1024;
      t = performance.now();
    }
    return [count, t - t0];
  };
  run(WARMUP_MS);
  const [count, ms] = run(MEASURE_MS);
  return (count / ms) * 1000;
}

const parseFn = (s: string) => {
  const r = parseIdentity(s);
  return r.ok ? 1 : 0;
};
const splitFn = (s: string) => s.split('|').length;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rows: string[][] = [];
for (const [label, gen] of KINDS) {
  const payloads = Array.from({ length: VARIANTS }, gen);
  const check = parseIdentity(payloads[0] as string);
  const status = check.ok ? 'ok' : check.error.code;
  const parseRate = rate(payloads, parseFn);
  const splitRate = rate(payloads, splitFn);
  const avgBytes = Math.round(payloads.reduce((a, p) => a + new TextEncoder().encode(p).length, 0) / payloads.length);
  rows.push([
    label,
    status,
    String(avgBytes),
    fmt(parseRate),
    (1e6 / parseRate).toFixed(2),
    fmt(splitRate),
    (splitRate / parseRate).toFixed(1) + '×',
  ]);
}

const header = ['payload kind', 'result', 'bytes', 'parseIdentity/s', 'µs/parse', "split('|')/s", 'overhead'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: string[]) =>
  cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
console.log(
  `lib/identity benchmark — Node ${process.version}, one core, ${VARIANTS} synthetic payloads per kind, ${MEASURE_MS} ms per measurement`,
);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
if (sink === -1) console.log('(sink)'); // keeps the measured work observable
