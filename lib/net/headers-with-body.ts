import type http from 'node:http';

/**
 * An API answer's headers go out with its body, in one write to the socket. Next.js flushes a response's headers
 * before its first chunk (right for a streamed page: the browser starts early), which for a small JSON answer is
 * one more system call per request — measured at about a tenth of the web server's CPU per check-in on a busy
 * 2-core server (bench:checkin with BENCH_PROFILE). Pages keep Next's behaviour. A streamed API answer (a file
 * download) still starts with its first chunk.
 */
export function headersWithBody(req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.url?.startsWith('/api/')) res.flushHeaders = noFlush;
}

function noFlush() {}
