/**
 * The pages' Content-Security-Policy, built per request with a fresh nonce (proxy.ts). Next.js reads the nonce
 * from the request's policy header and puts it on its own inline and bootstrap scripts; 'strict-dynamic' lets
 * those scripts load the app's chunks (the camera decoder is a dynamic import). No 'unsafe-inline' for scripts.
 *
 * - 'wasm-unsafe-eval': the QR decoder (zxing-wasm, served from our own /zxing/) compiles WebAssembly; this
 *   allows compiling wasm only, not JavaScript eval.
 * - style-src 'unsafe-inline': React `style={…}` attributes (report bars, the slip's print rules) cannot carry
 *   a nonce; injected styles cannot run code, so this is the accepted trade-off.
 * - frame-ancestors 'self': the desk prints the exam slip through a same-origin frame; nobody else may frame us
 *   (this replaces X-Frame-Options: DENY, which refused our own print frame).
 * - In development Next's React refresh needs eval: 'unsafe-eval' is added there only.
 */
export function contentSecurityPolicy(nonce: string, options: { dev?: boolean } = {}): string {
  const script = [
    "'self'",
    `'nonce-${nonce}'`,
    "'strict-dynamic'",
    "'wasm-unsafe-eval'",
    ...(options.dev ? ["'unsafe-eval'"] : []),
  ];
  return [
    "default-src 'self'",
    `script-src ${script.join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self' blob:",
    "worker-src 'self' blob:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}

/** JSON and files: nothing to run, nothing to frame. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** The desk may use the webcam and a COM-port scanner; no frame of another origin may. */
export const PERMISSIONS_POLICY = 'camera=(self), serial=(self)';
