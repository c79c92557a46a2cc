/**
 * Loaded only when the camera is opened (dynamic import), so zxing-wasm stays out of the desk's first load.
 * Decoding runs in a Web Worker (qr-decode.worker.ts): the main thread only grabs a scaled frame of the video
 * (createImageBitmap) and hands it over, so typing and scanning at the desk never wait for the decoder.
 */
import type { DecoderReply, DecoderRequest } from './qr-decode.worker';

let worker: Worker | null = null;
let ready: Promise<void> | null = null;
let nextId = 0;
const waiting = new Map<number, (text: string | null) => void>();

function post(request: DecoderRequest, transfer: Transferable[] = []) {
  worker!.postMessage(request, transfer);
}

export function loadDecoder(): Promise<void> {
  if (!ready) {
    ready = new Promise<void>((resolve, reject) => {
      const w = new Worker(new URL('./qr-decode.worker.ts', import.meta.url), { type: 'module' });
      worker = w;
      w.onmessage = (event: MessageEvent<DecoderReply>) => {
        const reply = event.data;
        if (reply.type === 'ready') resolve();
        else if (reply.type === 'failed') fail(new Error('QR decoder failed to load'));
        else {
          waiting.get(reply.id)?.(reply.text);
          waiting.delete(reply.id);
        }
      };
      w.onerror = () => fail(new Error('QR decoder worker failed'));
      const fail = (error: Error) => {
        w.terminate();
        worker = null;
        ready = null; // let the next open try again
        for (const done of waiting.values()) done(null);
        waiting.clear();
        reject(error);
      };
      post({ type: 'warm-up' });
    });
  }
  return ready;
}

const MAX_SIDE = 1280; // larger frames cost time and add little for a card held near the lens

/** Decodes the video's current frame; null when no QR is in it. */
export async function decodeVideoFrame(video: HTMLVideoElement): Promise<string | null> {
  const { videoWidth: w, videoHeight: h } = video;
  if (!w || !h || !worker) return null;
  const scale = Math.min(1, MAX_SIDE / Math.max(w, h));
  const bitmap = await createImageBitmap(video, {
    resizeWidth: Math.round(w * scale),
    resizeHeight: Math.round(h * scale),
  });
  if (!worker) {
    bitmap.close();
    return null;
  }
  const id = ++nextId;
  const result = new Promise<string | null>((resolve) => waiting.set(id, resolve));
  post({ type: 'frame', id, bitmap }, [bitmap]);
  return result;
}
