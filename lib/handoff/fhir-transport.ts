import { errorText, type SendOutcome, type Transport } from './transport';
import { jsonLimited, ResponseTooLargeError } from '../http/body';
import type { BundleEntry, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { HandoffBundle, HandoffResource } from './fhir';

/** A transaction-response Bundle for Patient + Coverage + Encounter is a few KB; more is cut off unread. */
export const MAX_FHIR_RESPONSE_BYTES = 1024 * 1024;

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
          headers: {
            'content-type': 'application/fhir+json',
            accept: 'application/fhir+json',
            'x-request-id': message.messageControlId,
          },
          body: message.payload,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const text = errorText(error);
        return /timeout|abort/i.test(text)
          ? { kind: 'timeout', text: `Máy chủ FHIR không trả lời sau ${timeoutMs} ms` }
          : { kind: 'unreachable', text };
      }
      const code = String(res.status);
      // A transaction-response Bundle or an OperationOutcome — read by shape, not by resourceType: a HIS that leaves
      // it out must still have its matches checked.
      let body: { entry?: BundleEntry<HandoffResource>[]; issue?: OperationOutcomeIssue[] } | null;
      try {
        body = await jsonLimited(res, MAX_FHIR_RESPONSE_BYTES);
      } catch (error) {
        // Its status cannot be trusted without the body that explains it; conditional creates make a resend safe.
        if (error instanceof ResponseTooLargeError)
          return {
            kind: 'refused',
            ackCode: code,
            text: `Máy chủ FHIR trả lời quá lớn (trên ${MAX_FHIR_RESPONSE_BYTES} byte)`,
            retry: true,
          };
        body = null;
      }
      if (res.ok) {
        const mismatch = await foreignMatch(url, message.payload, body?.entry ?? [], timeoutMs);
        if (mismatch) return { kind: 'refused', ackCode: code, ...mismatch }; // a wrong match is parked: staff must look
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

/**
 * A conditional create the HIS answered with an existing resource ("200 OK" instead of "201 Created") is only
 * trusted when that resource carries the identifier we matched on (our resource's identifier[0]). Otherwise the
 * HIS's search matched someone else — a search it does not support, or a value it read differently — and the
 * encounter now points at the wrong person there: not retried, parked for staff with the HIS's reference.
 * Reads the transaction-response, then (when it carries no resource) the matched resource itself.
 */
async function foreignMatch(
  baseUrl: string,
  payload: string,
  answered: BundleEntry<HandoffResource>[],
  timeoutMs: number,
): Promise<{ text: string; retry: boolean } | null> {
  let sent: BundleEntry<HandoffResource>[];
  try {
    sent = (JSON.parse(payload) as HandoffBundle).entry ?? [];
  } catch {
    return null;
  }
  for (let i = 0; i < sent.length; i++) {
    const request = sent[i]?.request;
    const key = sent[i]?.resource?.identifier?.[0];
    if (request?.method !== 'POST' || !request.ifNoneExist || !key) continue;
    const response = answered[i]?.response;
    if (!response?.status?.startsWith('200')) continue; // 201: created from our own resource
    const reference = response.location?.split('/_history')[0] ?? null;
    let matched = answered[i]?.resource;
    if (!matched?.identifier && reference) {
      try {
        const res = await fetch(`${baseUrl}/${reference}`, {
          headers: { accept: 'application/fhir+json' },
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (res.status >= 500) throw new Error(`HTTP ${res.status}`);
        matched = res.ok ? await jsonLimited<HandoffResource>(res, MAX_FHIR_RESPONSE_BYTES) : undefined;
      } catch (error) {
        // Not verified yet: sending the same Bundle again is harmless (conditional creates) and checks again.
        return { text: `Chưa kiểm tra được hồ sơ ${reference} mà HIS đã dùng: ${errorText(error)}`, retry: true };
      }
    }
    const carries = matched?.identifier?.some((id) => id.system === key.system && id.value === key.value) ?? false;
    if (!carries) {
      return {
        text: `HIS đã dùng hồ sơ ${reference ?? sent[i]?.resource?.resourceType ?? '?'} có sẵn nhưng hồ sơ đó không mang mã định danh của người bệnh này: lượt khám có thể đã gắn nhầm người. Cần kiểm tra trên HIS trước khi gửi lại.`,
        retry: false,
      };
    }
  }
  return null;
}
