import { errorText, type SendOutcome, type Transport } from './transport';

/**
 * POSTs the stored transaction Bundle to the FHIR base URL (HIS_FHIR_URL). Conditional creates make a replay
 * harmless, so a timeout is simply retried. 4xx (other than 408/429) = the server refused the content: parked
 * for staff; 5xx/408/429 = retried with back-off.
 */
export function fhirTransport(baseUrl: string, timeoutMs: number): Transport {
  const url = baseUrl.replace(/\/+$/, '');
  return {
    async send(message): Promise<SendOutcome> {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json', 'x-request-id': message.messageControlId },
          body: message.payload,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const text = errorText(error);
        return /timeout|abort/i.test(text) ? { kind: 'timeout', text: `Máy chủ FHIR không trả lời sau ${timeoutMs} ms` } : { kind: 'unreachable', text };
      }
      const body = (await res.json().catch(() => null)) as {
        entry?: { response?: { status?: string; location?: string } }[];
        issue?: { diagnostics?: string; details?: { text?: string } }[];
      } | null;
      const code = String(res.status);
      if (res.ok) {
        // The Encounter is the last entry; its location (Encounter/<id>/_history/…) is the HIS's reference.
        const location = body?.entry?.at(-1)?.response?.location ?? null;
        return { kind: 'accepted', ackCode: code, externalRef: location ? location.split('/_history')[0]! : null };
      }
      const issue = body?.issue?.[0];
      const text = `HTTP ${code}: ${issue?.diagnostics ?? issue?.details?.text ?? res.statusText}`.slice(0, 300);
      const retry = res.status >= 500 || res.status === 408 || res.status === 429;
      return { kind: 'refused', ackCode: code, text, retry };
    },
  };
}
