import type { AddressInfo } from 'node:net';
import { Hl7Message } from '@medplum/core';
import { Hl7Server, type Hl7Connection } from '@medplum/hl7';

/**
 * An MLLP server acting as the HIS, for tests and the benchmark: real sockets on 127.0.0.1. It checks each
 * ADT (MSH-10, PID-3, PV1-19 — MRG-1 for an A40 — present, version 2.5.1) and answers AA / AE / AR as told, optionally late or
 * never. It records every message received, the highest number of messages in flight at once per MSH-10 and
 * per patient (PID-3 first identifier), and the arrival order.
 */
export type HisMode = 'AA' | 'AE' | 'AR' | 'silent';
export type Received = {
  /** MSH-10 */ controlId: string;
  /** MSH-9.2, the trigger event (A04, A08, A11, A40) */ event: string;
  /** PID-3.1 of the first repetition (the hospital code, or our patient id) */ patientKey: string;
  /** PV1-19.1, the visit number (our encounter number); empty for an A40 */ visit: string;
  at: number;
  raw: string;
};

export class TestHis {
  received: Received[] = [];
  mode: HisMode = 'AA';
  /** Per-message mode override, e.g. AE for one patient only. */
  modeFor: (m: Received) => HisMode | undefined = () => undefined;
  delayMs = 0;
  /** Called when a message arrives, before answering (e.g. to kill the sender mid-delivery). */
  onMessage: (m: Received) => void = () => {};
  maxConcurrentPerControlId = 0;
  maxConcurrentPerPatient = 0;
  /** TCP connections accepted so far */
  connections = 0;
  private inFlightControl = new Map<string, number>();
  private inFlightPatient = new Map<string, number>();
  private server: Hl7Server | null = null;
  private ackSeq = 0;
  port = 0;

  async start(port = 0): Promise<this> {
    const server = new Hl7Server((connection) => this.handle(connection));
    server.start(port);
    await new Promise<void>((resolve, reject) => {
      server.server!.once('listening', () => resolve());
      server.server!.once('error', reject);
    });
    server.server!.on('connection', () => {
      this.connections++;
    });
    this.port = (server.server!.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  get url(): string {
    return `mllp://127.0.0.1:${this.port}`;
  }

  /** Goes down: stops listening and drops open connections. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await server.stop({ forceDrainTimeoutMs: 0 });
  }

  private handle(connection: Hl7Connection) {
    connection.addEventListener('error', () => {});
    connection.addEventListener('message', (event) => void this.answer(connection, event.message));
  }

  private async answer(connection: Hl7Connection, message: Hl7Message) {
    const msh = message.getSegment('MSH');
    const controlId = msh?.getField(10)?.toString() ?? '';
    const pid3 = message.getSegment('PID')?.getField(3)?.toString() ?? '';
    const received: Received = {
      controlId,
      event: msh?.getComponent(9, 2) ?? '',
      patientKey: message.getSegment('PID')?.getComponent(3, 1) ?? '',
      visit: message.getSegment('PV1')?.getComponent(19, 1) ?? '',
      at: Date.now(),
      raw: message.toString(),
    };
    this.received.push(received);
    const cur = (this.inFlightControl.get(controlId) ?? 0) + 1;
    this.inFlightControl.set(controlId, cur);
    this.maxConcurrentPerControlId = Math.max(this.maxConcurrentPerControlId, cur);
    const curP = (this.inFlightPatient.get(received.patientKey) ?? 0) + 1;
    this.inFlightPatient.set(received.patientKey, curP);
    this.maxConcurrentPerPatient = Math.max(this.maxConcurrentPerPatient, curP);
    try {
      this.onMessage(received);
      if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
      const mode = this.modeFor(received) ?? this.mode;
      if (mode === 'silent') return;
      const problems: string[] = [];
      if (!controlId) problems.push('MSH-10');
      if (msh?.getField(12)?.toString() !== '2.5.1') problems.push('MSH-12');
      if (!pid3) problems.push('PID-3');
      // A merge (A40) is about records, not a visit: it names the merged record in MRG-1 instead of a PV1.
      if (received.event === 'A40') {
        if (!message.getSegment('MRG')?.getField(1)?.toString()) problems.push('MRG-1');
      } else if (!received.visit) problems.push('PV1-19');
      const code = problems.length ? 'AE' : mode;
      const ack = message.buildAck({ ackCode: code });
      ack.getSegment('MSH')!.setField(10, `HIS${++this.ackSeq}`);
      if (code !== 'AA') {
        ack
          .getSegment('MSA')!
          .setField(
            3,
            problems.length
              ? `Thiếu ${problems.join(', ')}`
              : code === 'AE'
                ? 'Sai mã thẻ BHYT (giả lập)'
                : 'HIS đang bảo trì (giả lập)',
          );
      }
      if (!connection.isClosed()) connection.send(ack);
    } finally {
      this.inFlightControl.set(controlId, (this.inFlightControl.get(controlId) ?? 1) - 1);
      this.inFlightPatient.set(received.patientKey, (this.inFlightPatient.get(received.patientKey) ?? 1) - 1);
    }
  }
}
