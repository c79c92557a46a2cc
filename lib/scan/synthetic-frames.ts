/**
 * Synthetic camera frames of a QR code, for the decoder benchmark, the decoder test and the e2e webcam
 * file. A QR (byte mode, UTF-8, no ECI — as the `qrcode` package writes it, and as far as we know as the
 * ID cards carry it) is drawn into a grey frame through a perspective transform, then degraded.
 * Test/bench code only (imports the dev dependency `qrcode`); never imported by the app.
 */
import QRCode from 'qrcode';

export type GreyFrame = { data: Uint8Array; width: number; height: number };

export type FrameSpec = {
  width: number;
  height: number;
  /** Side of the code (quiet zone included) in pixels, before tilt. */
  codePx: number;
  centerX?: number; // default: frame centre
  centerY?: number;
  rotateDeg?: number;
  /** Perspective: the card turned this many degrees away about its horizontal axis (0 = facing the lens). */
  tiltDeg?: number;
  blurRadius?: number; // box-blur radius in pixels, applied twice (≈ Gaussian)
  /** Strength 0–1 of a bright radial highlight (glare on the card's plastic). */
  glare?: number;
  noiseSigma?: number; // Gaussian noise, grey levels
  /** Dark and light grey levels of the printed code (defaults 20 / 235). */
  dark?: number;
  light?: number;
  /** Background grey outside the card. */
  background?: number;
  seed?: number;
};

/** Dark modules of the QR for `text` (UTF-8 byte mode), quiet zone not included. */
export function qrModules(
  text: string,
  errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H' = 'M',
): { size: number; dark: (x: number, y: number) => boolean } {
  const qr = QRCode.create(text, { errorCorrectionLevel });
  const { size, data } = qr.modules;
  return { size, dark: (x, y) => data[y * size + x] === 1 };
}

/** Deterministic PRNG (mulberry32) so every run of the benchmark sees the same frames. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const QUIET = 4; // modules of white border the standard asks for

export function renderQrFrame(text: string, spec: FrameSpec): GreyFrame {
  const { width, height } = spec;
  const qr = qrModules(text);
  const total = qr.size + 2 * QUIET;
  const cx = spec.centerX ?? width / 2;
  const cy = spec.centerY ?? height / 2;
  const angle = ((spec.rotateDeg ?? 0) * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const half = spec.codePx / 2;
  const tilt = ((spec.tiltDeg ?? 0) * Math.PI) / 180;
  const distance = spec.codePx * 2.5; // lens-to-card distance (and focal length) in pixels: a close-up
  const dark = spec.dark ?? 20;
  const light = spec.light ?? 235;
  const background = spec.background ?? 90;
  const out = new Float32Array(width * height);
  const SS = 2; // 2×2 supersampling: edges get grey levels, as a real lens gives them
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      let sum = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          // Undo rotation around the centre → code plane coordinates u, v in [-half, half].
          const dx = px + (sx + 0.5) / SS - cx;
          const dy = py + (sy + 0.5) / SS - cy;
          let u = dx * cos + dy * sin;
          let v = -dx * sin + dy * cos;
          // Pinhole camera looking at a card turned by `tilt` about its horizontal axis: invert
          // x = d·u / (d + v·sinθ), y = d·v·cosθ / (d + v·sinθ) for the card-plane point (u, v).
          if (tilt) {
            const plane = (v * distance) / (distance * Math.cos(tilt) - v * Math.sin(tilt));
            u = (u * (distance + plane * Math.sin(tilt))) / distance;
            v = plane;
          }
          const mx = Math.floor(((u + half) / spec.codePx) * total) - QUIET;
          const my = Math.floor(((v + half) / spec.codePx) * total) - QUIET;
          const inCard = u >= -half * 1.15 && u <= half * 1.15 && v >= -half * 1.15 && v <= half * 1.15;
          if (mx >= 0 && my >= 0 && mx < qr.size && my < qr.size) sum += qr.dark(mx, my) ? dark : light;
          else sum += inCard ? light : background;
        }
      }
      out[py * width + px] = sum / (SS * SS);
    }
  }
  degrade(out, spec);
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, Math.round(out[i]!)));
  return { data, width, height };
}

function degrade(px: Float32Array, spec: FrameSpec) {
  const { width, height } = spec;
  if (spec.blurRadius) for (let pass = 0; pass < 2; pass++) boxBlur(px, width, height, spec.blurRadius);
  if (spec.glare) {
    // A highlight off-centre on the code, washing modules towards white.
    const gx = (spec.centerX ?? width / 2) + spec.codePx * 0.15;
    const gy = (spec.centerY ?? height / 2) - spec.codePx * 0.1;
    const r = spec.codePx * 0.45;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const d = Math.hypot(x - gx, y - gy) / r;
        const k = spec.glare * Math.exp(-d * d);
        const i = y * width + x;
        px[i] = px[i]! + (255 - px[i]!) * k;
      }
    }
  }
  if (spec.noiseSigma) {
    const rnd = seededRandom(spec.seed ?? 1);
    for (let i = 0; i < px.length; i++) {
      const gauss = Math.sqrt(-2 * Math.log(rnd() || 1e-9)) * Math.cos(2 * Math.PI * rnd());
      px[i] = px[i]! + gauss * spec.noiseSigma;
    }
  }
}

function boxBlur(px: Float32Array, width: number, height: number, radius: number) {
  const tmp = new Float32Array(px.length);
  const r = Math.max(1, Math.round(radius));
  const n = 2 * r + 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += px[y * width + Math.min(width - 1, Math.max(0, x + k))]!;
      tmp[y * width + x] = s / n;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += tmp[Math.min(height - 1, Math.max(0, y + k)) * width + x]!;
      px[y * width + x] = s / n;
    }
  }
}

/** RGBA pixels (as a canvas ImageData holds them) from a grey frame. */
export function greyToRgba(frame: GreyFrame): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(frame.width * frame.height * 4);
  for (let i = 0; i < frame.data.length; i++) {
    const g = frame.data[i]!;
    rgba[i * 4] = g;
    rgba[i * 4 + 1] = g;
    rgba[i * 4 + 2] = g;
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}
