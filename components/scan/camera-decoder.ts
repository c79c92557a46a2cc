/**
 * Loaded only when the camera is opened (dynamic import), so zxing-wasm stays out of the desk's first load.
 * The .wasm comes from our own origin (public/zxing/), never from a CDN: hospitals may have no internet.
 */
import { decodeQrFrame, useZxingWasm, warmUpZxing, ZXING_WASM_PATH } from '@/lib/scan/decode';

let ready: Promise<void> | null = null;

export function loadDecoder(): Promise<void> {
  if (!ready) {
    useZxingWasm({ url: ZXING_WASM_PATH });
    ready = warmUpZxing().catch((error: unknown) => {
      ready = null; // let the next open try again
      throw error;
    });
  }
  return ready;
}

const MAX_SIDE = 1280; // larger frames cost time and add little for a card held near the lens

/** Decodes the video's current frame; null when no QR is in it. */
export async function decodeVideoFrame(video: HTMLVideoElement, canvas: HTMLCanvasElement): Promise<string | null> {
  const { videoWidth: w, videoHeight: h } = video;
  if (!w || !h) return null;
  const scale = Math.min(1, MAX_SIDE / Math.max(w, h));
  canvas.width = Math.round(w * scale);
  canvas.height = Math.round(h * scale);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
  return decodeQrFrame(ctx.getImageData(0, 0, canvas.width, canvas.height));
}
