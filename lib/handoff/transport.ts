/** What one delivery attempt came back with, whatever the target. */
export type SendOutcome =
  | { kind: 'accepted'; ackCode: string; externalRef: string | null }
  /** The receiver understood and refused: `retry` says whether sending the same bytes again can help. */
  | { kind: 'refused'; ackCode: string; text: string; retry: boolean }
  | { kind: 'timeout'; text: string }
  | { kind: 'unreachable'; text: string }
  /** No address for this target yet: the message is held (WAITING_CONFIG) until one is set, nothing counted. */
  | { kind: 'unconfigured'; text: string };
import type { HandoffTarget } from '../codes';

export type HandoffMessageToSend = {
  id: bigint;
  /** null for an A40 (about two records, not a visit) */
  encounterId: string | null;
  /** whose HIS it goes to: the encounter's facility (an A40's own); null only for rows older than that column */
  facilityId: string | null;
  target: HandoffTarget;
  event: string;
  messageControlId: string;
  payload: string;
};

export type Transport = {
  send(message: HandoffMessageToSend): Promise<SendOutcome>;
  /** Optional: turns the stored payload into the bytes actually sent (XML0 signing); stored before sending. */
  prepare?(message: HandoffMessageToSend): Promise<string | null>;
  /** Optional: whether an address is set now for that facility (default: yes). Held WAITING_CONFIG messages flow once it is. */
  configured?(facilityId: string | null): Promise<boolean>;
  /** Optional: closes kept connections (the worker stopping). */
  close?(): void;
};

/**
 * Short, data-free text of a transport error (socket codes and messages, never payload content). It is stored,
 * shown to staff and logged, so URLs in it lose their user:password@ and query string (fetch repeats the URL it
 * could not use, credentials included).
 */
export function errorText(error: unknown): string {
  const e = error as {
    code?: string;
    message?: string;
    issue?: { diagnostics?: string; details?: { text?: string } }[];
  };
  const issue = e?.issue?.[0];
  const text = issue?.diagnostics ?? issue?.details?.text ?? e?.message ?? String(error);
  return withoutUrlSecrets(`${e?.code ? `${e.code}: ` : ''}${text}`).slice(0, 300);
}

export function withoutUrlSecrets(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1')
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^\s?#]*)[?#]\S*/gi, '$1?…');
}
