import http from 'node:http';
import https from 'node:https';
import next from 'next';
import { log } from '../log';
import { loadServerTls } from '../net/server-tls';
import os from 'node:os';
import { createPgPool } from '../db/pg';
import { startHeartbeat } from '../ops/heartbeat';
import { exitWithParent } from '../ops/lifeline';
import { PEER_HEADER, trustedProxies } from '../net/client-ip';
import { headersWithBody } from '../net/headers-with-body';

/**
 * The web server child of `npm start`: Next.js's own request handler (the one `next start` uses) on a `node:http` or, with
 * HTTPS_CERT/HTTPS_KEY, a `node:https` server, listening on HOST:PORT. The launcher (lib/cli/launch.ts) decides
 * HOST and checks the certificate; this process only serves. `next start` cannot serve HTTPS, hence this file.
 *
 * Per request it does four header assignments:
 *  - the scheme and host next-auth builds its URLs from (sign-out's redirect, cookie names) are the connection's,
 *    never a client's say: `X-Forwarded-Proto` is overwritten and `X-Forwarded-Host` dropped. With NEXTAUTH_URL
 *    set (a reverse proxy in front), both are that public URL's instead.
 *  - the socket's peer address goes into PEER_HEADER, over anything a client sent: the app reads the client's
 *    address from it (and from X-Forwarded-For only when that peer is in TRUSTED_PROXIES, lib/net/client-ip.ts).
 *  - over HTTPS, Strict-Transport-Security (no includeSubDomains: other hosts of the hospital's domain may be
 *    plain HTTP; browsers ignore HSTS for IP addresses, which is harmless).
 * And an API answer's headers go out with its body in one write (lib/net/headers-with-body.ts).
 */
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const serverTls = loadServerTls();
const scheme = serverTls ? 'https' : 'http';
const publicUrl = process.env.NEXTAUTH_URL ? new URL(process.env.NEXTAUTH_URL) : null;
const forwardedProto = publicUrl ? publicUrl.protocol.slice(0, -1) : scheme;
const HSTS = 'max-age=31536000';
try {
  trustedProxies(); // a TRUSTED_PROXIES entry that is not an IP or CIDR stops the start, with its reason
} catch (error) {
  log.error((error as Error).message);
  process.exit(1);
}

const server = serverTls ? https.createServer({ cert: serverTls.cert, key: serverTls.key }) : http.createServer();
// Desks poll every few seconds: keep their connections open between polls (over HTTPS each new one is a TLS
// handshake). Node's 5 s default also closed idle sockets just as clients reused them (ECONNRESET seen in e2e).
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
const wildcard = host === '0.0.0.0' || host === '::';
const app = next({ dev: false, dir: process.cwd(), hostname: wildcard ? 'localhost' : host, port, httpServer: server });

server.on('error', (error: NodeJS.ErrnoException) => {
  log.error(
    { code: error.code, host, port },
    error.code === 'EADDRINUSE'
      ? `cổng ${port} đang được dùng / port ${port} is in use`
      : error.code === 'EADDRNOTAVAIL'
        ? `máy này không có địa chỉ HOST=${host} / this machine has no address HOST=${host}`
        : 'web server error',
  );
  process.exit(1);
});

await app.prepare();
const handle = app.getRequestHandler();
server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
  const headers = req.headers;
  headers['x-forwarded-proto'] = forwardedProto;
  if (publicUrl) headers['x-forwarded-host'] = publicUrl.host;
  else delete headers['x-forwarded-host'];
  delete headers['x-forwarded-port'];
  headers[PEER_HEADER] = req.socket.remoteAddress ?? '';
  if (serverTls) res.setHeader('Strict-Transport-Security', HSTS);
  headersWithBody(req, res);
  void handle(req, res);
});
server.listen(port, host, () => {
  log.info(
    { scheme, host, port },
    `web server listening on ${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`,
  );
});

// Its heartbeat (lib/ops/heartbeat.ts: the admin page lists the processes and their restarts), on a connection
// of its own.
const heartbeat = process.env.DATABASE_URL
  ? startHeartbeat(createPgPool(process.env.DATABASE_URL, 1), {
      id: `web-${os.hostname()}-${process.pid}`,
      kind: 'WEB',
    })
  : null;

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void heartbeat?.stop();
  server.close(() => process.exit(0)); // finish the requests in flight
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
exitWithParent(stop); // the launcher is gone (even kill -9): do not stay behind holding the port
