import { describe, expect, it } from 'vitest';
import { POST } from './route';

/** The kiosk pairing endpoint needs no sign-in: a 20 MB body must be refused as it streams, not read whole first. */
describe('kiosk pairing request body', () => {
  it('stops reading a 20 MB body just past its cap and answers 413', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 20 * 1024 * 1024) return controller.close();
        pulled += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const req = new Request('http://localhost:3000/api/v1/kiosk/pair', {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
    } as RequestInit);
    const res = await POST(req);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(1024 * 1024);
  });

  it('refuses a pairing posted from another site', async () => {
    const req = new Request('http://localhost:3000/api/v1/kiosk/pair', {
      method: 'POST',
      body: '{"code":"ABCD"}',
      headers: { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' },
    });
    expect((await POST(req)).status).toBe(403);
  });
});
