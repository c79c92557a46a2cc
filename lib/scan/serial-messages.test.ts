import { describe, expect, it } from 'vitest';
import { BHYT_NEW_SAMPLE, CCCD_2021_SAMPLE } from '../identity/test-fixtures';
import { SerialMessageSplitter } from './serial-messages';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Cuts bytes into chunks of `size` (USB-COM drivers deliver arbitrary chunk boundaries). */
function chunks(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

describe('SerialMessageSplitter', () => {
  it('keeps Vietnamese letters whole when a chunk boundary splits their UTF-8 bytes', () => {
    for (const size of [1, 2, 3, 7, 64]) {
      const splitter = new SerialMessageSplitter();
      const messages = chunks(utf8(`${CCCD_2021_SAMPLE}\r\n`), size).flatMap((c) => splitter.push(c));
      expect(messages).toEqual([CCCD_2021_SAMPLE]);
      expect(messages[0]).toContain('Lương Thị Ngọc Ánh');
    }
  });

  it('splits on CR, LF and on the closing |$ of a BHYT QR, never yielding empty messages', () => {
    const splitter = new SerialMessageSplitter();
    const stream = `${BHYT_NEW_SAMPLE}\r\n\n${CCCD_2021_SAMPLE}\r${BHYT_NEW_SAMPLE}${CCCD_2021_SAMPLE}\n`;
    expect(splitter.push(utf8(stream))).toEqual([BHYT_NEW_SAMPLE, CCCD_2021_SAMPLE, BHYT_NEW_SAMPLE, CCCD_2021_SAMPLE]);
    expect(BHYT_NEW_SAMPLE.endsWith('|$')).toBe(true);
  });

  it('does not end a message at a $ inside a field', () => {
    const splitter = new SerialMessageSplitter();
    expect(splitter.push(utf8('AB$CD|EF\n'))).toEqual(['AB$CD|EF']);
  });

  it('drops NUL bytes and leaves an unterminated message for flush()', () => {
    const splitter = new SerialMessageSplitter();
    expect(splitter.push(utf8('079188004321\u0000'))).toEqual([]);
    expect(splitter.hasPending).toBe(true);
    expect(splitter.flush()).toEqual(['079188004321']);
    expect(splitter.hasPending).toBe(false);
    expect(splitter.flush()).toEqual([]);
  });

  it('turns invalid UTF-8 into U+FFFD instead of failing', () => {
    const splitter = new SerialMessageSplitter();
    expect(splitter.push(new Uint8Array([0x41, 0xff, 0x42, 0x0a]))).toEqual(['A\uFFFDB']);
  });
});
