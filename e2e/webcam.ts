import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { greyToRgba, renderQrFrame } from '../lib/scan/synthetic-frames';

/**
 * The webcam Chromium sees (`--use-file-for-fake-video-capture`): JPEG frames of one size, concatenated (MJPEG),
 * of a card holding `payload` as a QR, slightly tilted. Returns the file and the flags that make it the camera
 * (and grant the permission without a prompt).
 */
export function fakeWebcam(payload: string, name: string, dir = os.tmpdir()): { file: string; args: string[] } {
  const file = path.join(dir, `tiepdon-${name}-${process.pid}.mjpeg`);
  const frames: Buffer[] = [];
  for (let i = 0; i < 6; i++) {
    const grey = renderQrFrame(payload, {
      width: 640,
      height: 480,
      codePx: 330,
      rotateDeg: 8 + i,
      blurRadius: 1,
      noiseSigma: 5,
      seed: i + 1,
      background: 70,
    });
    frames.push(jpeg.encode({ data: Buffer.from(greyToRgba(grey).buffer), width: 640, height: 480 }, 85).data);
  }
  fs.writeFileSync(file, Buffer.concat(frames));
  return {
    file,
    args: [
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${file}`,
    ],
  };
}
