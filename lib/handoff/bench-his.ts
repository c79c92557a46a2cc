import net from 'node:net';
import { Hl7Segment } from '@medplum/core';

/**
 * The benchmarks' HIS: an MLLP server that answers every message at once with an original-mode ACK (AA, its own
 * MSH-10 as reference). Deliberately lean — it reads the MSH segment only, not the whole message — because it
 * shares the benchmark machine with the app and its cost is not the app's. Run as a child process
 * (`fork(…, { execArgv: ['--import', 'tsx'] })`): it sends `{ port }` when listening and answers `'stats'` with
 * `{ received, duplicates, connections }` (a duplicate = an MSH-10 seen before). Tests use `TestHis` instead.
 */
const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;

const seen = new Set<string>();
let received = 0;
let duplicates = 0;
let connections = 0;
let ackSeq = 0;

function ackFor(message: string): string {
  const msh = Hl7Segment.parse(message.slice(0, message.indexOf('\r') >>> 0));
  const field = (n: number) => msh.getField(n)?.toString() ?? '';
  const controlId = field(10);
  if (seen.has(controlId)) duplicates++;
  else seen.add(controlId);
  received++;
  // Sender and receiver swapped (MSH-3/4 ↔ MSH-5/6), the message's time, its trigger event (MSH-9.2).
  return `MSH|^~\\&|HIS|${field(6)}|${field(3)}|${field(4)}|${field(7)}||ACK^${msh.getComponent(9, 2)}^ACK|HIS${++ackSeq}|P|2.5.1\rMSA|AA|${controlId}`;
}

const server = net.createServer((socket) => {
  connections++;
  socket.setNoDelay(true);
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    for (;;) {
      const start = buffer.indexOf(VT);
      if (start < 0) {
        buffer = Buffer.alloc(0);
        return;
      }
      const end = buffer.indexOf(FS, start);
      if (end < 0 || end + 1 >= buffer.length) {
        buffer = buffer.subarray(start);
        return;
      }
      const message = buffer.toString('utf8', start + 1, end);
      buffer = buffer.subarray(end + (buffer[end + 1] === CR ? 2 : 1));
      socket.write(Buffer.concat([Buffer.from([VT]), Buffer.from(ackFor(message), 'utf8'), Buffer.from([FS, CR])]));
    }
  });
  socket.on('error', () => {});
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.send?.({ port: (server.address() as net.AddressInfo).port });
});
process.on('message', (m) => {
  if (m === 'stats') process.send?.({ received, duplicates, connections });
});
process.on('disconnect', () => process.exit(0));
