import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

/**
 * Reading a HIS's patient export, hostile input: CSV (UTF-8 with or without BOM, or Windows-1258 from legacy
 * systems) or XLSX, both streamed — a file is never held in memory whole. `inspectFile` reads the bytes once
 * (hash, type, encoding); `readRows` then yields the rows in order with their row numbers as a spreadsheet
 * program shows them (1 = first line), blank lines included so the numbers match what staff see.
 */
export type FileFormat = 'CSV' | 'XLSX';
export type TextEncoding = 'UTF-8' | 'CP1258';
export type Cell = string | number | Date | boolean | null;
export type SheetRow = { rowNumber: number; cells: Cell[] };
export type InspectedFile = { sha256: string; bytes: number; format: FileFormat; encoding: TextEncoding | null };

/** The file cannot be imported at all (wrong type, unreadable): the message is Vietnamese and safe to show. */
export class ImportFileError extends Error {
  constructor(
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/**
 * One pass over the bytes: SHA-256 (the job's identity, so a re-run or a resume is recognised), the type by its
 * first bytes (never by the name), and for text whether every byte is valid UTF-8 — otherwise it is read as
 * Windows-1258, the encoding Vietnamese Windows exports use.
 */
export async function inspectFile(path: string, forced?: TextEncoding): Promise<InspectedFile> {
  const hash = createHash('sha256');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  let head: Buffer | null = null;
  let validUtf8 = true;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    if (!head) head = chunk.subarray(0, 8192);
    bytes += chunk.length;
    if (validUtf8 && !isZip(head)) {
      try {
        utf8.decode(chunk, { stream: true });
      } catch {
        validUtf8 = false;
      }
    }
  }
  if (validUtf8 && head && !isZip(head)) {
    try {
      utf8.decode();
    } catch {
      validUtf8 = false;
    }
  }
  if (!head || bytes === 0) throw new ImportFileError('EMPTY_FILE', 'Tệp rỗng.');
  const sha256 = hash.digest('hex');
  if (isZip(head)) return { sha256, bytes, format: 'XLSX', encoding: null };
  // Text has no NUL bytes; a PDF, an image or an old binary .xls does.
  if (head.includes(0) || head.subarray(0, 5).toString('latin1') === '%PDF-') {
    throw new ImportFileError(
      'NOT_TABULAR',
      'Tệp không phải CSV hay XLSX (bảng tính Excel 2007 trở lên). Tệp .xls cũ: mở bằng Excel và lưu lại dạng .xlsx hoặc CSV UTF-8.',
    );
  }
  return { sha256, bytes, format: 'CSV', encoding: forced ?? (validUtf8 ? 'UTF-8' : 'CP1258') };
}

function isZip(head: Buffer): boolean {
  return ZIP_MAGIC.every((b, i) => head[i] === b);
}

/** The rows of the file, in order; for XLSX the first worksheet. */
export function readRows(path: string, file: InspectedFile): AsyncGenerator<SheetRow[]> {
  return file.format === 'XLSX' ? readXlsx(path) : readCsv(path, file.encoding ?? 'UTF-8');
}

/** Text in → decoded text out, a chunk at a time (a character split between chunks is kept for the next). */
function textDecoder(encoding: TextEncoding): { write: (b: Buffer) => string; end: () => string } {
  if (encoding === 'CP1258') {
    // Windows-1258 writes most tone marks as separate combining characters: fields are NFC-normalised later.
    const d = iconv.getDecoder('cp1258');
    return { write: (b) => d.write(b), end: () => d.end() ?? '' };
  }
  const d = new TextDecoder('utf-8'); // strips a leading BOM; invalid bytes become U+FFFD (the row is then refused)
  return { write: (b) => d.decode(b, { stream: true }), end: () => d.decode() };
}

async function* readCsv(path: string, encoding: TextEncoding): AsyncGenerator<SheetRow[]> {
  const decoder = textDecoder(encoding);
  let carry = '';
  let delimiter = -1;
  let rowNumber = 0;
  const take = (text: string, final: boolean): SheetRow[] => {
    let buf = carry + text;
    if (delimiter < 0) {
      if (buf.charCodeAt(0) === 0xfeff) buf = buf.slice(1); // a BOM the decoder left (CP1258 path)
      const eol = buf.indexOf('\n');
      if (eol < 0 && !final) {
        carry = buf;
        return [];
      }
      delimiter = detectDelimiter(eol < 0 ? buf : buf.slice(0, eol));
    }
    const rows: SheetRow[] = [];
    const used = parseCsvRecords(buf, delimiter, final, (cells) => rows.push({ rowNumber: ++rowNumber, cells }));
    carry = buf.slice(used);
    return rows;
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 18 }) as AsyncIterable<Buffer>) {
    const rows = take(decoder.write(chunk), false);
    if (rows.length) yield rows;
  }
  const rows = take(decoder.end(), true);
  if (rows.length) yield rows;
}

/** Comma, semicolon (Excel with a Vietnamese list separator) or tab: whichever the header line has most of. */
export function detectDelimiter(headerLine: string): number {
  const counts = new Map<number, number>([
    [0x2c, 0],
    [0x3b, 0],
    [0x09, 0],
  ]);
  let quoted = false;
  for (let i = 0; i < headerLine.length; i++) {
    const c = headerLine.charCodeAt(i);
    if (c === 0x22) quoted = !quoted;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = 0x2c;
  for (const [c, n] of counts) if (n > counts.get(best)!) best = c;
  return best;
}

/**
 * RFC 4180 records from `buf`: quoted fields (with "" for a quote, and line breaks inside), CRLF or LF. Returns
 * how much of `buf` was consumed: an unfinished record at the end is left for the next chunk unless `final`.
 * Lenient where exports are sloppy: text after a closing quote is kept as part of the field.
 */
export function parseCsvRecords(
  buf: string,
  delimiter: number,
  final: boolean,
  emit: (cells: string[]) => void,
): number {
  const n = buf.length;
  let pos = 0;
  while (pos < n) {
    const cells: string[] = [];
    let i = pos;
    for (;;) {
      let value: string;
      if (i < n && buf.charCodeAt(i) === 0x22) {
        value = '';
        let j = i + 1;
        for (;;) {
          const q = buf.indexOf('"', j);
          if (q < 0) {
            if (!final) return pos;
            value += buf.slice(j);
            i = n;
            break;
          }
          if (q + 1 >= n && !final) return pos; // cannot tell "" from a closing quote yet
          if (buf.charCodeAt(q + 1) === 0x22) {
            value += buf.slice(j, q + 1);
            j = q + 2;
            continue;
          }
          value += buf.slice(j, q);
          i = q + 1;
          break;
        }
        const k = fieldEnd(buf, i, delimiter);
        if (k > i) value += buf.slice(i, k);
        i = k;
      } else {
        const k = fieldEnd(buf, i, delimiter);
        value = buf.slice(i, k);
        i = k;
      }
      cells.push(value);
      if (i >= n) {
        if (!final) return pos;
        emit(cells);
        return n;
      }
      const c = buf.charCodeAt(i);
      if (c === delimiter) {
        i++;
        continue;
      }
      if (c === 0x0d) {
        if (i + 1 >= n && !final) return pos;
        i += buf.charCodeAt(i + 1) === 0x0a ? 2 : 1;
      } else i++;
      emit(cells);
      pos = i;
      break;
    }
  }
  return pos;
}

function fieldEnd(buf: string, from: number, delimiter: number): number {
  let k = from;
  const n = buf.length;
  while (k < n) {
    const c = buf.charCodeAt(k);
    if (c === delimiter || c === 0x0a || c === 0x0d) break;
    k++;
  }
  return k;
}

/**
 * XLSX through exceljs's streaming reader: rows arrive as the sheet's XML is unzipped. The shared-string table is
 * the one part kept in memory (Excel stores each distinct text once; cells refer to it by number). Dates come as
 * Date (midnight UTC) when the cell has a date format, otherwise as the Excel serial number.
 */
async function* readXlsx(path: string): AsyncGenerator<SheetRow[]> {
  const input = createReadStream(path);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  try {
    for await (const sheet of reader) {
      let batch: SheetRow[] = [];
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells: Cell[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellValue(values[i]));
        batch.push({ rowNumber: row.number, cells });
        if (batch.length >= 1000) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
      return; // the first worksheet only
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError('BAD_XLSX', `Không đọc được tệp XLSX: ${(error as Error).message.slice(0, 200)}`);
  } finally {
    input.destroy(); // also when the caller stops early (the preview reads only the first rows)
  }
}

function cellValue(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('');
    if ('result' in o) return cellValue(o.result); // a formula: its last computed value
    if (typeof o.text === 'string') return o.text; // a hyperlink
    if (o.error) return null;
  }
  return String(v);
}
