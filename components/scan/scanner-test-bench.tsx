'use client';

import { useCallback, useRef, useState } from 'react';
import { maskIdentifier, parseIdentity, type IdentityResult } from '@/lib/identity';
import { CameraScanner } from './camera-scanner';
import { ScanBox, type ScanBoxHandle } from './scan-box';
import { SerialScanner } from './serial-scanner';
import type { ScanSource, ScanText } from './types';

type Row = {
  id: number;
  at: Date;
  source: ScanSource;
  chars: number;
  bytes: number;
  result: IdentityResult;
  questionMarks: boolean;
};

const clock = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** The identifier shown (masked): personal ID first, then CMND, BHYT card code, BHXH number. */
function maskedId(result: IdentityResult): string {
  if (!result.ok) return '';
  const { identity } = result;
  const value = identity.personalId ?? identity.oldIdNumber ?? identity.bhyt?.cardCode ?? identity.bhyt?.bhxhNumber;
  return value ? maskIdentifier(value) : '';
}

/**
 * "Kiểm tra máy quét": every input of the desk on one page, and for each payload what the desk would
 * read from it. The raw payload is never shown (it holds ID numbers and addresses); the name is, since
 * checking that diacritics survive is the point of the page.
 */
export function ScannerTestBench({ text }: { text: ScanText }) {
  const [rows, setRows] = useState<Row[]>([]);
  const nextId = useRef(1);
  const box = useRef<ScanBoxHandle>(null);

  const onPayload = useCallback((raw: string, source: ScanSource) => {
    const row: Row = {
      id: nextId.current++,
      at: new Date(),
      source,
      chars: Array.from(raw).length,
      bytes: new TextEncoder().encode(raw).length,
      result: parseIdentity(raw),
      questionMarks: raw.includes('?') || raw.includes('\uFFFD'),
    };
    setRows((prev) => [row, ...prev].slice(0, 50));
  }, []);

  return (
    <div className="flex flex-col gap-6">
      <ScanBox ref={box} onPayload={onPayload} text={text} />
      <div className="grid gap-6 md:grid-cols-2">
        <section aria-labelledby="scan-camera" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="scan-camera" className="mb-3 text-lg font-semibold">
            {text.sources.camera}
          </h2>
          <CameraScanner onPayload={onPayload} text={text} />
        </section>
        <section aria-labelledby="scan-serial" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="scan-serial" className="mb-3 text-lg font-semibold">
            {text.serialTitle}
          </h2>
          <SerialScanner onPayload={onPayload} text={text} />
        </section>
      </div>
      <section aria-labelledby="scan-log">
        <div className="mb-2 flex items-center gap-4">
          <h2 id="scan-log" className="text-lg font-semibold">
            {text.logTitle}
          </h2>
          <button
            type="button"
            className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-50"
            onClick={() => {
              setRows([]);
              box.current?.focus();
            }}
          >
            {text.logClear}
          </button>
        </div>
        {rows.length === 0 ? (
          <p className="text-slate-600">{text.logEmpty}</p>
        ) : (
          <table className="w-full border-collapse bg-white text-left text-sm" aria-labelledby="scan-log">
            <thead className="bg-slate-100">
              <tr>
                {[
                  text.colTime,
                  text.colSource,
                  text.colLength,
                  text.colKind,
                  text.colName,
                  text.colId,
                  text.colNotes,
                ].map((h) => (
                  <th key={h} scope="col" className="border-b border-slate-200 px-2 py-2 font-semibold">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr
                  key={row.id}
                  data-testid="scan-row"
                  data-source={row.source}
                  className="border-b border-slate-100 align-top"
                >
                  <td className="px-2 py-2 tabular-nums">{clock.format(row.at)}</td>
                  <td className="px-2 py-2">{text.sources[row.source]}</td>
                  <td className="px-2 py-2 tabular-nums">
                    {text.lengthValue.replace('{chars}', String(row.chars)).replace('{bytes}', String(row.bytes))}
                  </td>
                  <td className="px-2 py-2 font-mono text-xs">
                    {row.result.ok
                      ? `${row.result.identity.kind}${row.result.identity.variant ? ` (${row.result.identity.variant})` : ''}`
                      : row.result.error.code}
                  </td>
                  <td className="px-2 py-2 text-base font-medium" data-testid="scan-name">
                    {row.result.ok ? (row.result.identity.fullName ?? '') : ''}
                  </td>
                  <td className="px-2 py-2 font-mono">{maskedId(row.result)}</td>
                  <td className="px-2 py-2">
                    <ul className="list-disc pl-4">
                      {!row.result.ok && <li className="text-red-700">{row.result.error.message}</li>}
                      {row.result.ok &&
                        row.result.warnings.map((w) => (
                          <li key={w.code} className="text-amber-800">
                            {w.message}
                          </li>
                        ))}
                      {row.questionMarks && <li className="text-amber-800">{text.questionMarks}</li>}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
