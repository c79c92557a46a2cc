import net from 'node:net';
import { parseAck } from './hl7';
import { errorText, type SendOutcome, type Transport } from './transport';
import type { MllpTarget } from './config';

/**
 * An ACK is a few hundred bytes (a few KB with ERR segments). A frame is kept whole until its end bytes arrive,
 * so a HIS that keeps sending is cut off past this many bytes for one message.
 */
export const MAX_ACK_BYTES = 64 * 1024;
/** An idle connection is closed after this long (HIS interfaces often drop idle peers themselves). */
const IDLE_MS = 30_000;
const REUSE_AFTER_MS = 5;

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;

/** One open MLLP connection; at most one message in flight on it (original-mode ACK, strict order). */
type Link = {
  key: string;
  socket: net.Socket;
  /** false until a first ACK came back on it */
  used: boolean;
  /** when its last ACK came (Date.now()) */
  ackAt: number;
  idleTimer: NodeJS.Timeout | null;
  /** the message in flight: its bytes so far and what to call with the reply */
  waiter: { chunks: Buffer[]; received: number; done: (error: SendError | null, reply?: string) => void } | null;
};

class SendError extends Error {
  constructor(
    message: string,
    readonly stage: 'connect' | 'reply',
    readonly beforeReply: boolean,
  ) {
    super(message);
  }
}

/**
 * Sends ADT messages over MLLP and waits for each original-mode ACK (spec §5.4). Connections are kept open and
 * reused (one per message in flight, so at most as many as the worker's concurrency): a new TCP connection per
 * message cost the worker and the HIS more than the message itself. The bytes sent are the stored payload, framed;
 *  AA → accepted (the ACK's MSH-10 is kept as the HIS's reference);
 *  AE → refused, not retried unchanged (content error: staff must fix the data);
 *  AR → refused, retried with back-off (receiver not ready / unsupported right now);
 *  no ACK in time → timeout, retried (the connection is closed: a late ACK must never answer the next message);
 *  more than MAX_ACK_BYTES back → connection cut, retried (a broken or hostile HIS does not fill our memory).
 * A kept connection that the HIS closed while it was idle is not a failure: the message goes again on a new one.
 */
export function mllpTransport(
  resolveTarget: (facilityId: string | null) => Promise<MllpTarget | null>,
  timeoutMs: number,
): Transport & { close(): void } {
  const idle: Link[] = [];
  let keep = true;
  const connectTimeout = Math.min(timeoutMs, 5_000);

  const drop = (link: Link, error?: SendError) => {
    if (link.idleTimer) clearTimeout(link.idleTimer);
    const i = idle.indexOf(link);
    if (i >= 0) idle.splice(i, 1);
    link.socket.destroy();
    const waiter = link.waiter;
    link.waiter = null;
    waiter?.done(error ?? new SendError('Connection closed by the HIS', 'reply', waiter.received === 0));
  };

  const onData = (link: Link, chunk: Buffer) => {
    const w = link.waiter;
    if (!w) {
      // Between messages only the frame's trailing CR may still arrive; anything else: out of step, start afresh.
      if (!chunk.every((b) => b === CR || b === 0x0a)) drop(link);
      return;
    }
    w.received += chunk.length;
    if (w.received > MAX_ACK_BYTES) {
      drop(link, new SendError('ACK_TOO_LARGE', 'reply', false));
      return;
    }
    w.chunks.push(chunk);
    const all = w.chunks.length === 1 ? chunk : Buffer.concat(w.chunks);
    w.chunks = [all];
    const start = all.indexOf(VT);
    const end = start < 0 ? -1 : all.indexOf(FS, start);
    if (end < 0) return;
    link.waiter = null;
    w.done(null, all.toString('utf8', start + 1, end));
  };

  const connect = (target: MllpTarget, key: string) =>
    new Promise<Link>((resolve, reject) => {
      const socket = net.connect({ host: target.host, port: target.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new SendError(`Connection timeout after ${connectTimeout} ms`, 'connect', true));
      }, connectTimeout);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new SendError(errorText(error), 'connect', true));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        const link: Link = { key, socket, used: false, ackAt: 0, idleTimer: null, waiter: null };
        socket.on('data', (chunk: Buffer) => onData(link, chunk));
        socket.on('error', (error) =>
          drop(link, new SendError(errorText(error), 'reply', (link.waiter?.received ?? 0) === 0)),
        );
        socket.on('end', () => {
          // Ended by the HIS right after an ACK: it takes one message per connection, so stop keeping them.
          if (!link.waiter && link.used && Date.now() - link.ackAt < 1_000) keep = false;
          drop(link);
        });
        socket.on('close', () => drop(link));
        resolve(link);
      });
    });

  /** Writes one frame and resolves with the reply frame's text. */
  const exchange = (link: Link, payload: string) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => drop(link, new SendError('timeout', 'reply', false)), timeoutMs);
      link.waiter = {
        chunks: [],
        received: 0,
        done: (error, reply) => {
          clearTimeout(timer);
          if (error) reject(error);
          else resolve(reply!);
        },
      };
      const body = Buffer.from(payload, 'utf8');
      const frame = Buffer.allocUnsafe(body.length + 3);
      frame[0] = VT;
      body.copy(frame, 1);
      frame[body.length + 1] = FS;
      frame[body.length + 2] = CR;
      link.socket.write(frame);
    });

  const release = (link: Link) => {
    link.used = true;
    link.ackAt = Date.now();
    if (!keep) link.socket.end();
    if (!keep || link.socket.destroyed) return;
    link.idleTimer = setTimeout(() => drop(link), IDLE_MS);
    link.idleTimer.unref();
    idle.push(link);
  };

  /**
   * A kept connection that is still open. One that has just brought an ACK is used only once socket events have
   * had a few milliseconds to land (a HIS closing after each ACK sends its FIN then), so no message is written
   * into a connection the HIS is closing; in the worker a database round trip lies between two sends anyway.
   */
  const takeIdle = async (key: string): Promise<Link | null> => {
    // The longest idle first, to this address (facilities may have HISes of their own: lib/handoff/config.ts).
    for (let i = idle.findIndex((l) => l.key === key); i >= 0; i = idle.findIndex((l) => l.key === key)) {
      const link = idle.splice(i, 1)[0]!;
      if (link.idleTimer) clearTimeout(link.idleTimer);
      link.idleTimer = null;
      const wait = link.ackAt + REUSE_AFTER_MS - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await new Promise((resolve) => setImmediate(resolve)); // after the event loop has read the sockets
      if (!link.socket.destroyed && keep) return link;
      link.socket.destroy();
    }
    return null;
  };

  return {
    configured: async (facilityId) => (await resolveTarget(facilityId)) !== null,
    close: () => {
      for (const link of [...idle]) drop(link);
    },
    async send(message): Promise<SendOutcome> {
      const target = await resolveTarget(message.facilityId); // the message's facility's HIS
      if (!target)
        return { kind: 'unconfigured', text: 'Chưa cấu hình địa chỉ MLLP của HIS (trang Quản trị → Kết nối HIS).' };
      const key = `${target.host}:${target.port}`;
      // Links to another address (another facility's HIS, or an old address) are not used here; idle, they time out.
      for (let attempt = 0; ; attempt++) {
        let link = await takeIdle(key);
        try {
          link ??= await connect(target, key);
          const reply = await exchange(link, message.payload);
          const ack = parseAck(reply);
          if (ack.ackedControlId && ack.ackedControlId !== message.messageControlId) {
            drop(link); // out of step with the HIS: start afresh
            return { kind: 'refused', ackCode: ack.code || '??', text: 'ACK không khớp MSH-10', retry: true };
          }
          release(link);
          if (ack.code === 'AA' || ack.code === 'CA')
            return { kind: 'accepted', ackCode: ack.code, externalRef: ack.hisRef };
          if (ack.code === 'AE' || ack.code === 'CE')
            return { kind: 'refused', ackCode: ack.code, text: ack.text ?? 'HIS báo lỗi dữ liệu (AE)', retry: false };
          return {
            kind: 'refused',
            ackCode: ack.code || '??',
            text: ack.text ?? `HIS từ chối (${ack.code || 'không rõ'})`,
            retry: true,
          };
        } catch (error) {
          const reused = link?.used === true;
          if (link) drop(link);
          const e = error as SendError;
          // A kept connection the HIS had closed: nothing came back, so send once more on a new connection.
          if (reused && e.beforeReply && attempt === 0) continue;
          if (e.stage === 'connect') return { kind: 'unreachable', text: e.message };
          if (e.message === 'ACK_TOO_LARGE')
            return {
              kind: 'refused',
              ackCode: '??',
              text: `HIS gửi phản hồi quá lớn (trên ${MAX_ACK_BYTES} byte) thay cho ACK`,
              retry: true,
            };
          if (e.message === 'timeout') return { kind: 'timeout', text: `Không nhận được ACK sau ${timeoutMs} ms` };
          return { kind: 'unreachable', text: e.message };
        }
      }
    },
  };
}
