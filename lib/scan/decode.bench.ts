/**
 * QR decoding benchmark (`npm run bench:scan`): the same synthetic camera frames decoded by
 * @zxing/library's QRCodeReader (JS, baseline) and by zxing-wasm (ZXing-C++), side by side.
 * Frames: CCCD/Căn cước and BHYT QR payloads of invented people, rendered grey and degraded. A read
 * counts only when the text equals the payload byte for byte (UTF-8), so mojibake is a miss.
 */
import fs from 'node:fs';
import { BinaryBitmap, DecodeHintType, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from '@zxing/library';
import { bhytNewPayload, bhytOldPayload, cccdPayload } from '../identity/test-fixtures';
import { decodeQrFrame, useZxingWasm } from './decode';
import { greyToRgba, renderQrFrame, seededRandom, type FrameSpec, type GreyFrame } from './synthetic-frames';
import { zxingWasmPackageFile } from './wasm-file';

const FRAMES_PER_CASE = Number(process.env.FRAMES ?? 16);
const W = 640;
const H = 480;

// ---- synthetic payloads (invented people) ----
const rnd = seededRandom(20260301);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Thị', 'Văn', 'Hữu', 'Ngọc', 'Thị Thu', 'Đức', 'Minh', 'Quốc', 'Thị Mỹ'];
const GIVEN = [
  'Ánh',
  'Bảo',
  'Châu',
  'Dũng',
  'Hạnh',
  'Khôi',
  'Lụa',
  'Nhung',
  'Phước',
  'Quỳnh',
  'Sơn',
  'Tuyết',
  'Ước',
  'Yến',
];
const PLACES = [
  'Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh',
  'Xã Đông Hòa, Huyện Đông Sơn, Thanh Hóa',
  'Thôn Phú Mỹ, Xã Hòa Châu, Đà Nẵng',
  'Số 12 Ngõ 45 Phố Huế, Hà Nội',
];
const name = () => `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
const ddmm = () =>
  `${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}`;

function payload(i: number): string {
  if (i % 2 === 0) {
    const year = 1950 + Math.floor(rnd() * 60);
    return cccdPayload({
      id: `0${pick(['01', '31', '48', '79', '92'])}${year < 2000 ? pick(['0', '1']) : pick(['2', '3'])}${String(year % 100).padStart(2, '0')}${digits(6)}`,
      cmnd: i % 4 === 0 ? digits(9) : '',
      name: name(),
      dob: `${ddmm()}${year}`,
      sex: pick(['Nam', 'Nữ']),
      address: `Tổ ${1 + Math.floor(rnd() * 20)}, ${pick(PLACES)}`,
      issued: `${ddmm()}20${pick(['21', '22', '24', '25'])}`,
      layout: i % 4 === 0 ? '2021' : '2024',
    });
  }
  const bhxh = `79${digits(8)}`;
  const common = {
    name: name(),
    dob: `${ddmm().slice(0, 2)}/${ddmm().slice(2)}/19${50 + Math.floor(rnd() * 49)}`,
    sex: pick(['1', '2']),
    address: pick(PLACES),
    facility: '79 - 034',
    from: '01/01/2025',
    issued: '20/12/2024',
    mgmt: `7902${bhxh}`,
    five: '01/01/2030',
  };
  return i % 4 === 1
    ? bhytOldPayload({ ...common, code: `HC4${bhxh.slice(0, 2)}${bhxh}`, to: '31/12/2025' })
    : bhytNewPayload({
        ...common,
        code: bhxh,
        to: '-',
        level: pick(['1', '2', '3', '4', '5']),
        issuePlace: pick(PLACES),
      });
}

// ---- degradations ----
type Case = { name: string; spec: (r: () => number) => Partial<FrameSpec> & { codePx: number } };
const CASES: Case[] = [
  { name: 'clean', spec: () => ({ codePx: 340 }) },
  {
    name: 'small code in large frame',
    spec: (r) => ({ codePx: 150 + r() * 40, centerX: 160 + r() * 320, centerY: 140 + r() * 200 }),
  },
  { name: 'rotation 10–45°', spec: (r) => ({ codePx: 300, rotateDeg: 10 + r() * 35 }) },
  { name: 'tilt (perspective)', spec: (r) => ({ codePx: 300, tiltDeg: 35 + r() * 20, rotateDeg: r() * 8 }) },
  { name: 'blur', spec: (r) => ({ codePx: 340, blurRadius: 2 + Math.round(r()) }) },
  { name: 'glare gradient', spec: (r) => ({ codePx: 340, glare: 0.75 + r() * 0.2 }) },
  { name: 'noise', spec: (r) => ({ codePx: 340, noiseSigma: 45 + r() * 20 }) },
  {
    name: 'low contrast',
    spec: (r) => ({ codePx: 340, dark: 120 + r() * 10, light: 160 + r() * 10, background: 130 }),
  },
  {
    name: 'combined (tilt+blur+noise+glare)',
    spec: (r) => ({
      codePx: 300,
      tiltDeg: 30,
      rotateDeg: 5 + r() * 20,
      blurRadius: 1,
      noiseSigma: 18,
      glare: 0.5,
      dark: 60,
      light: 200,
    }),
  },
];

// ---- decoders ----
const jsReader = new QRCodeReader();
const jsHints = new Map<DecodeHintType, unknown>([
  [DecodeHintType.TRY_HARDER, true],
  [DecodeHintType.CHARACTER_SET, 'UTF-8'],
]);

function decodeJs(frame: GreyFrame): string | null {
  try {
    const source = new RGBLuminanceSource(new Uint8ClampedArray(frame.data), frame.width, frame.height);
    return jsReader.decode(new BinaryBitmap(new HybridBinarizer(source)), jsHints).getText();
  } catch {
    return null; // NotFoundException / ChecksumException / FormatException: no read
  } finally {
    jsReader.reset();
  }
}

type Tally = { ok: number; ms: number; n: number };
const tally = (): Tally => ({ ok: 0, ms: 0, n: 0 });

async function main() {
  useZxingWasm({ binary: fs.readFileSync(zxingWasmPackageFile()) });
  // Warm both up (wasm compile, JS JIT) before anything is timed.
  const warm = renderQrFrame(payload(0), { width: W, height: H, codePx: 340 });
  for (let i = 0; i < 3; i++) {
    decodeJs(warm);
    await decodeQrFrame({ data: greyToRgba(warm), width: W, height: H });
  }

  const rows: { name: string; js: Tally; wasm: Tally }[] = [];
  const total = { js: tally(), wasm: tally() };
  for (const [c, testCase] of CASES.entries()) {
    const js = tally();
    const wasm = tally();
    for (let i = 0; i < FRAMES_PER_CASE; i++) {
      const text = payload(i);
      const r = seededRandom(1000 * c + i);
      const grey = renderQrFrame(text, { width: W, height: H, seed: 7 * i + c, ...testCase.spec(r) });
      const rgba = { data: greyToRgba(grey), width: W, height: H };

      let t = performance.now();
      const a = decodeJs(grey);
      js.ms += performance.now() - t;
      t = performance.now();
      const b = await decodeQrFrame(rgba);
      wasm.ms += performance.now() - t;
      js.n++;
      wasm.n++;
      if (a === text) js.ok++;
      if (b === text) wasm.ok++;
    }
    rows.push({ name: testCase.name, js, wasm });
    for (const k of ['ok', 'ms', 'n'] as const) {
      total.js[k] += js[k];
      total.wasm[k] += wasm[k];
    }
  }
  rows.push({ name: 'OVERALL', ...total });

  const pct = (t: Tally) => `${((100 * t.ok) / t.n).toFixed(1)} %`.padStart(8);
  const ms = (t: Tally) => `${(t.ms / t.n).toFixed(1)}`.padStart(8);
  console.log(`QR decode benchmark — ${FRAMES_PER_CASE} frames per case, ${W}×${H} grey, byte-exact UTF-8 reads`);
  console.log(`${'degradation'.padEnd(34)} | ${'@zxing/library (baseline)'.padEnd(25)} | ${'zxing-wasm'.padEnd(25)}`);
  console.log(
    `${''.padEnd(34)} | ${'read'.padStart(8)} ${'ms/frame'.padStart(8)}${''.padEnd(8)} | ${'read'.padStart(8)} ${'ms/frame'.padStart(8)}`,
  );
  console.log('-'.repeat(92));
  for (const row of rows) {
    if (row.name === 'OVERALL') console.log('-'.repeat(92));
    console.log(
      `${row.name.padEnd(34)} | ${pct(row.js)} ${ms(row.js)}${''.padEnd(8)} | ${pct(row.wasm)} ${ms(row.wasm)}`,
    );
  }
}

await main();
