/**
 * QR decoding with zxing-wasm (ZXing-C++ in WebAssembly). Pure TypeScript over pixels; where the .wasm
 * comes from is set once by the caller (browser: our own origin, never a CDN; Node: bytes from disk).
 */
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';

/** URL path of the reader .wasm in public/ (copied from node_modules by lib/scan/copy-wasm.ts). */
export const ZXING_WASM_PATH = '/zxing/zxing_reader.wasm';

/**
 * CCCD/Căn cước QRs carry UTF-8 in byte mode without an ECI header; left to guess, ZXing may read the bytes
 * as ISO-8859-1 or Shift_JIS and turn "Nguyễn" into mojibake. characterSet 'UTF8' is used whenever the code
 * has no ECI (an ECI in the code still wins, as the standard says).
 */
export const QR_READER_OPTIONS: ReaderOptions = {
  formats: ['QRCode'],
  characterSet: 'UTF8',
  textMode: 'Plain',
  tryHarder: true,
  tryRotate: true,
  tryInvert: true,
  tryDownscale: true,
  maxNumberOfSymbols: 1,
};

export type PixelFrame = { data: Uint8ClampedArray; width: number; height: number }; // RGBA, like ImageData

export type WasmSource = { url: string } | { binary: Uint8Array };

/** Where the .wasm is loaded from. Call before the first decode. */
export function useZxingWasm(source: WasmSource): void {
  if ('url' in source) {
    prepareZXingModule({
      overrides: {
        locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? source.url : prefix + path),
      },
    });
  } else {
    const bytes = source.binary;
    const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    prepareZXingModule({ overrides: { wasmBinary } });
  }
}

/** Loads and compiles the module now (so the first frame is not slow). */
export async function warmUpZxing(): Promise<void> {
  await readBarcodes({ data: new Uint8ClampedArray(4 * 4 * 4), width: 4, height: 4 } as ImageData, QR_READER_OPTIONS);
}

/** The first valid QR's text in the frame, or null. */
export async function decodeQrFrame(frame: PixelFrame): Promise<string | null> {
  // zxing-wasm reads any {data, width, height}; in Node there is no ImageData class.
  const results = await readBarcodes(frame as unknown as ImageData, QR_READER_OPTIONS);
  const hit = results.find((r) => r.isValid && r.text !== '');
  return hit ? hit.text : null;
}
