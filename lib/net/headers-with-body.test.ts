import { afterEach, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { headersWithBody } from './headers-with-body';

/** A server answering as Next.js's route handlers do (flush the headers, write the body, end), counting socket writes. */
let server: http.Server | null = null;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function writesPerAnswer(path: string): Promise<number> {
  let writes = 0;
  server = http.createServer(async (req, res) => {
    headersWithBody(req, res);
    res.statusCode = 201;
    res.setHeader('content-type', 'application/json');
    await Promise.resolve();
    res.flushHeaders(); // what Next.js's pipeToNodeResponse does before the first chunk
    res.write('{"queueNumber":7}');
    await Promise.resolve();
    res.end();
  });
  server.on('connection', (socket: Socket) => {
    const generic = (socket as unknown as { _writeGeneric: (...args: unknown[]) => unknown })._writeGeneric;
    (socket as unknown as { _writeGeneric: (...args: unknown[]) => unknown })._writeGeneric = function (
      ...args: unknown[]
    ) {
      writes++;
      return generic.apply(this, args);
    };
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, {
    headers: { connection: 'close' },
  });
  expect(await response.json()).toEqual({ queueNumber: 7 });
  return writes;
}

it('sends an API answer in one write, headers with the body', async () => {
  expect(await writesPerAnswer('/api/v1/checkins')).toBe(1);
});

it('leaves pages as Next.js streams them (headers first)', async () => {
  expect(await writesPerAnswer('/tiep-don')).toBe(2);
});
