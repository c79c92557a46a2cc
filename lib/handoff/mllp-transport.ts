import { Hl7Message } from '@medplum/core';
import { Hl7Client } from '@medplum/hl7';
import { parseAck } from './hl7';
import { errorText, type SendOutcome, type Transport } from './transport';
import type { MllpTarget } from './config';

/**
 * Sends one ADT message over MLLP and waits for its original-mode ACK (spec §5.4). One connection per message:
 * simple and keeps strict one-message-at-a-time per connection; the per-patient order comes from the outbox.
 *  AA → accepted (the ACK's MSH-10 is kept as the HIS's reference);
 *  AE → refused, not retried unchanged (content error: staff must fix the data);
 *  AR → refused, retried with back-off (receiver not ready / unsupported right now);
 *  no ACK in time → timeout, retried.
 */
export function mllpTransport(resolveTarget: () => Promise<MllpTarget | null>, timeoutMs: number): Transport {
  return {
    async send(message): Promise<SendOutcome> {
      const target = await resolveTarget();
      if (!target) return { kind: 'unreachable', text: 'Chưa cấu hình địa chỉ MLLP của HIS (HIS_MLLP_URL / his.mllpUrl).' };
      const client = new Hl7Client({ host: target.host, port: target.port, connectTimeout: Math.min(timeoutMs, 5_000) });
      try {
        let connected = false;
        try {
          await client.connect();
          connected = true;
          // Errors on an open connection are reported through events; the send then times out.
          client.addEventListener('error', () => {});
          const reply = await client.sendAndWait(Hl7Message.parse(message.payload), { timeoutMs });
          const ack = parseAck(reply.toString());
          if (ack.ackedControlId && ack.ackedControlId !== message.messageControlId) {
            return { kind: 'refused', ackCode: ack.code || '??', text: 'ACK không khớp MSH-10', retry: true };
          }
          if (ack.code === 'AA' || ack.code === 'CA') return { kind: 'accepted', ackCode: ack.code, externalRef: ack.hisRef };
          if (ack.code === 'AE' || ack.code === 'CE') return { kind: 'refused', ackCode: ack.code, text: ack.text ?? 'HIS báo lỗi dữ liệu (AE)', retry: false };
          return { kind: 'refused', ackCode: ack.code || '??', text: ack.text ?? `HIS từ chối (${ack.code || 'không rõ'})`, retry: true };
        } catch (error) {
          const text = errorText(error);
          if (!connected) return { kind: 'unreachable', text };
          return /timed? ?out/i.test(text) ? { kind: 'timeout', text: `Không nhận được ACK sau ${timeoutMs} ms` } : { kind: 'unreachable', text };
        }
      } finally {
        await client.close().catch(() => {});
      }
    },
  };
}
