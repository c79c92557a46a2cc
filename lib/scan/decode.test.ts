import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BHYT_NEW_SAMPLE, CAN_CUOC_2024_SAMPLE, CCCD_2021_SAMPLE } from '../identity/test-fixtures';
import { parseIdentity } from '../identity';
import { decodeQrFrame, useZxingWasm } from './decode';
import { greyToRgba, renderQrFrame, type FrameSpec } from './synthetic-frames';
import { zxingWasmPackageFile, zxingWasmPublicFile } from './wasm-file';

const frame = (text: string, spec: Partial<FrameSpec> = {}) => {
  const grey = renderQrFrame(text, { width: 480, height: 360, codePx: 300, ...spec });
  return { data: greyToRgba(grey), width: grey.width, height: grey.height };
};

beforeAll(() => {
  // The same bytes the browser gets from our origin.
  useZxingWasm({ binary: fs.readFileSync(zxingWasmPublicFile()) });
});

describe('decodeQrFrame (zxing-wasm)', () => {
  it('reads Căn cước / CCCD QRs with Vietnamese names byte-exact, and parseIdentity sees the diacritics', async () => {
    for (const payload of [CCCD_2021_SAMPLE, CAN_CUOC_2024_SAMPLE]) {
      const text = await decodeQrFrame(frame(payload, { rotateDeg: 15, blurRadius: 1, noiseSigma: 6, seed: 3 }));
      expect(text).toBe(payload);
      const parsed = parseIdentity(text!);
      expect(parsed.ok && parsed.identity.fullName).toBe(payload.split('|')[2]);
    }
  });

  it('reads a BHYT card QR (hex fields, closing $)', async () => {
    expect(await decodeQrFrame(frame(BHYT_NEW_SAMPLE, { codePx: 340 }))).toBe(BHYT_NEW_SAMPLE);
  });

  it('returns null when there is no code', async () => {
    const blank = { data: new Uint8ClampedArray(320 * 240 * 4).fill(128), width: 320, height: 240 };
    expect(await decodeQrFrame(blank)).toBeNull();
  });
});

describe('the .wasm served from public/', () => {
  it('is the same binary as the installed zxing-wasm (run lib/scan/copy-wasm.ts after an upgrade)', () => {
    expect(fs.readFileSync(zxingWasmPublicFile()).equals(fs.readFileSync(zxingWasmPackageFile()))).toBe(true);
  });
});
