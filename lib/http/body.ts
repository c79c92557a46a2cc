/**
 * Bodies read under a cap, for what comes in (request bodies) and what peers answer (HIS, FHIR server, BHXH
 * gateway): a declared Content-Length over the cap is refused before reading, and a stream is cancelled as soon
 * as it passes the cap, so a hostile or broken peer sending 1 GB never gets it held in memory.
 */
export async function readLimited(
  message: { headers: Headers; body: ReadableStream<Uint8Array> | null },
  maxBytes: number,
): Promise<Buffer | null> {
  const declared = message.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) {
    void message.body?.cancel().catch(() => {});
    return null;
  }
  if (!message.body) return Buffer.alloc(0);
  const reader = message.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.byteLength;
    if (size > maxBytes) {
      void reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
}

export class ResponseTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`Phản hồi quá lớn (trên ${maxBytes} byte)`);
    this.name = 'ResponseTooLargeError';
  }
}

/** A peer's JSON answer read under `maxBytes`: throws ResponseTooLargeError past it, SyntaxError when it is not JSON. */
export async function jsonLimited<T = unknown>(response: Response, maxBytes: number): Promise<T> {
  const bytes = await readLimited(response, maxBytes);
  if (!bytes) throw new ResponseTooLargeError(maxBytes);
  return JSON.parse(bytes.toString('utf8')) as T;
}
