/**
 * Turns the byte stream of a scanner in USB-COM (virtual serial) mode into messages. Bytes are decoded
 * as UTF-8 in streaming mode, so a Vietnamese letter split across two chunks comes out whole. A message
 * ends at CR or LF, or at the `|$` that closes a BHYT card QR (spec §4: '$' is its own last field; one HIS
 * treats '$' as end-of-message, spec §1.3). The '$' stays in the message — parseIdentity expects it.
 * NUL bytes (seen after some payloads, spec §1.3) are dropped. A scanner that sends no terminator at all is
 * handled by the caller calling flush() after a quiet gap.
 */
export class SerialMessageSplitter {
  private decoder = new TextDecoder('utf-8');
  private pending = '';

  /** Feeds one chunk; returns the messages it completed (never empty strings). */
  push(chunk: Uint8Array): string[] {
    return this.split(this.decoder.decode(chunk, { stream: true }));
  }

  /** Returns what is left (after the caller's quiet gap), and resets the decoder. */
  flush(): string[] {
    const tail = this.split(this.decoder.decode());
    this.decoder = new TextDecoder('utf-8');
    const rest = this.pending;
    this.pending = '';
    return rest.trim() === '' ? tail : [...tail, rest];
  }

  /** True while part of a message is waiting (the caller arms its quiet-gap timer). */
  get hasPending(): boolean {
    return this.pending !== '';
  }

  private split(text: string): string[] {
    const out: string[] = [];
    for (const ch of text.replace(/\u0000/g, '')) {
      if (ch === '\r' || ch === '\n') {
        this.emit(out);
      } else {
        this.pending += ch;
        if (ch === '$' && this.pending.endsWith('|$')) this.emit(out);
      }
    }
    return out;
  }

  private emit(out: string[]) {
    if (this.pending.trim() !== '') out.push(this.pending);
    this.pending = '';
  }
}
