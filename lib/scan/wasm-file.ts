/** Where the zxing-wasm reader binary lives on disk (Node only: tests, benchmark, copy script). */
import { createRequire } from 'node:module';
import path from 'node:path';

export function zxingWasmPackageFile(): string {
  return createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'); // named in the package's exports map
}

export function zxingWasmPublicFile(root = process.cwd()): string {
  return path.join(root, 'public', 'zxing', 'zxing_reader.wasm');
}
