/** What one delivery attempt came back with, whatever the target. */
export type SendOutcome =
  | { kind: 'accepted'; ackCode: string; externalRef: string | null }
  /** The receiver understood and refused: `retry` says whether sending the same bytes again can help. */
  | { kind: 'refused'; ackCode: string; text: string; retry: boolean }
  | { kind: 'timeout'; text: string }
  | { kind: 'unreachable'; text: string };

export type HandoffMessageToSend = {
  id: bigint;
  encounterId: string;
  target: 'HL7V2' | 'FHIR' | 'BHXH_XML0';
  event: string;
  messageControlId: string;
  payload: string;
};

export type Transport = {
  send(message: HandoffMessageToSend): Promise<SendOutcome>;
  /** Optional: turns the stored payload into the bytes actually sent (XML0 signing); stored before sending. */
  prepare?(message: HandoffMessageToSend): Promise<string | null>;
};

/** Short, data-free text of a transport error (socket codes and messages, never payload content). */
export function errorText(error: unknown): string {
  const e = error as { code?: string; message?: string; issue?: { diagnostics?: string; details?: { text?: string } }[] };
  const issue = e?.issue?.[0];
  const text = issue?.diagnostics ?? issue?.details?.text ?? e?.message ?? String(error);
  return `${e?.code ? `${e.code}: ` : ''}${text}`.slice(0, 300);
}
