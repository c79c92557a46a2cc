/**
 * The camera's QR decoder, off the page's main thread (a dedicated Web Worker): zxing-wasm takes tens of
 * milliseconds per 1280-pixel frame, which on the main thread were long tasks while the desk typed. The page
 * sends a video frame as an ImageBitmap (transferred, not copied) and gets the QR's text or null back.
 * The .wasm comes from our own origin (public/zxing/), never from a CDN: hospitals may have no internet.
 */
import { decodeQrFrame, useZxingWasm, warmUpZxing, ZXING_WASM_PATH } from '@/lib/scan/decode';

export type DecoderRequest = { type: 'warm-up' } | { type: 'frame'; id: number; bitmap: ImageBitmap };
export type DecoderReply = { type: 'ready' } | { type: 'failed' } | { type: 'result'; id: number; text: string | null };

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<DecoderRequest>) => void) | null;
  postMessage: (reply: DecoderReply) => void;
};
// eslint-disable-next-line react-hooks/rules-of-hooks -- zxing-wasm's loader, not a React hook
useZxingWasm({ url: ZXING_WASM_PATH });
let canvas: OffscreenCanvas | null = null;

async function decodeBitmap(bitmap: ImageBitmap): Promise<string | null> {
  const { width, height } = bitmap;
  if (!canvas || canvas.width !== width || canvas.height !== height) canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return decodeQrFrame(ctx.getImageData(0, 0, width, height));
}

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type === 'warm-up') {
    warmUpZxing().then(
      () => scope.postMessage({ type: 'ready' }),
      () => scope.postMessage({ type: 'failed' }),
    );
    return;
  }
  decodeBitmap(request.bitmap)
    .catch(() => null)
    .then((text) => scope.postMessage({ type: 'result', id: request.id, text }));
};
