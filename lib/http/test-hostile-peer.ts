import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * Test peers that answer with far too much (1 GB by default), for the response caps of the HIS, FHIR and BHXH
 * clients. Each records how many bytes it managed to write before the client cut it off: a client without a cap
 * reads the whole offer.
 */
export type HostilePeer = {
  url: string;
  port: number;
  written: () => number;
  connections: () => number;
  close: () => Promise<void>;
};

const GB = 1024 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x61); // 'aaaa…': never a frame end, never valid JSON

/** Writes `total` bytes of `chunk` as fast as the peer reads them; stops when the socket goes away. */
function flood(
  stream: NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean },
  total: number,
  count: (n: number) => void,
  done: () => void,
) {
  let left = total;
  const pump = () => {
    while (left > 0) {
      if (stream.destroyed) return;
      const n = Math.min(left, CHUNK.length);
      left -= n;
      count(n);
      if (!stream.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) return void stream.once('drain', pump);
    }
    done();
  };
  stream.on('error', () => {});
  pump();
}

/**
 * An HTTP server whose every answer is `status` with an endless JSON-looking body (chunked, or with its length
 * declared). `normal` may answer some requests properly first (e.g. a gateway's token).
 */
export async function hostileHttpPeer(
  options: {
    offerBytes?: number;
    status?: number;
    declareLength?: boolean;
    normal?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  } = {},
): Promise<HostilePeer> {
  const offer = options.offerBytes ?? GB;
  let written = 0;
  let connections = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    if (options.normal?.(req, res)) return;
    connections++;
    res.writeHead(options.status ?? 200, {
      'content-type': 'application/json',
      ...(options.declareLength ? { 'content-length': String(offer) } : {}),
    });
    flood(
      res,
      offer,
      (n) => (written += n),
      () => res.end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    written: () => written,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An MLLP "HIS" that answers every connection with a frame start and then never ends the frame. */
export async function hostileMllpPeer(offerBytes = GB): Promise<HostilePeer> {
  let written = 0;
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', () => {
      socket.write(Buffer.from('\x0bMSH|^~\\&|HIS|X|RECEPTION|X|20260101000000||ACK^A04^ACK|1|P|2.5.1\rMSA|AA|'));
      flood(
        socket,
        offerBytes,
        (n) => (written += n),
        () => socket.end('\x1c\r'),
      );
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `mllp://127.0.0.1:${port}`,
    port,
    written: () => written,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
