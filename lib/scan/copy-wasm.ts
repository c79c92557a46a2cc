/**
 * Copies the zxing-wasm reader binary into public/zxing/ so the browser loads it from our own origin
 * (hospitals may have no internet; the package's default is a CDN). Run after upgrading zxing-wasm;
 * lib/scan/decode.test.ts fails while the copy is stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { zxingWasmPackageFile, zxingWasmPublicFile } from './wasm-file';

const from = zxingWasmPackageFile();
const to = zxingWasmPublicFile();
fs.mkdirSync(path.dirname(to), { recursive: true });
fs.copyFileSync(from, to);
console.log(
  `copied ${path.relative(process.cwd(), from)} → ${path.relative(process.cwd(), to)} (${fs.statSync(to).size} bytes)`,
);
