'use client';

import { forwardRef, useImperativeHandle, useRef, useState } from 'react';

export type DeskScanInputHandle = { focus: () => void };

/** The scan box: focused on load and after every check-in; Enter (or the scanner's CR) submits. */
export const DeskScanInput = forwardRef<DeskScanInputHandle, { busy: boolean; onPayload: (raw: string) => void }>(function DeskScanInput({ busy, onPayload }, ref) {
  const input = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  useImperativeHandle(ref, () => ({ focus: () => input.current?.focus() }));
  return (
    <form onSubmit={(e) => { e.preventDefault(); if (value.trim()) { onPayload(value); setValue(''); } }}>
      <label className="block">
        <span className="text-sm font-semibold text-slate-700">Quét mã QR hoặc nhập số định danh / số thẻ BHYT</span>
        <input ref={input} autoFocus value={value} onChange={(e) => setValue(e.target.value)} aria-busy={busy}
          autoComplete="off" spellCheck={false} placeholder="Quét CCCD, VNeID, thẻ BHYT — hoặc gõ 12 số định danh rồi Enter"
          className="mt-1 w-full rounded-xl border-2 border-brand-600 bg-white px-4 py-3 text-xl shadow-sm focus:border-amber-500" />
      </label>
    </form>
  );
});
