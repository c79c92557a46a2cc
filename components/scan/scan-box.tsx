'use client';

import { useEffect, useImperativeHandle, useRef } from 'react';
import { WedgeAssembler, type KeyTarget, type WedgeEvent } from '@/lib/scan/wedge';
import type { OnPayload, ScanText } from './types';

export type ScanBoxHandle = { focus(): void };

const NON_TEXT_INPUTS = new Set(['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file', 'image']);

/** A field that takes typed text (keys there belong to whoever is typing in it). */
function isTextField(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el instanceof HTMLInputElement) return !NON_TEXT_INPUTS.has(el.type);
  return el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || el.isContentEditable;
}

/**
 * The desk's always-ready input. Enter submits what was typed or scanned into it ('typed' or 'wedge' by
 * key speed). A window-level listener (capture phase, so it runs before any other handler) also catches a
 * scanner burst while focus is elsewhere — on the page body or a button — and swallows those keys so they
 * trigger no shortcut or button. Slow keys typed elsewhere are moved into this box.
 */
export function ScanBox({ onPayload, text, autoFocus = true, refocusAfterSubmit = true, ref }: {
  onPayload: OnPayload;
  text: ScanText;
  autoFocus?: boolean;
  refocusAfterSubmit?: boolean;
  ref?: React.Ref<ScanBoxHandle>;
}) {
  const inputRef = useRef<HTMLInputElement>(null);
  const assemblerRef = useRef<WedgeAssembler | null>(null);
  const latest = useRef({ onPayload, refocusAfterSubmit });
  latest.current = { onPayload, refocusAfterSubmit };

  useImperativeHandle(ref, () => ({ focus: () => inputRef.current?.focus() }), []);

  useEffect(() => {
    const input = inputRef.current!;
    const onEvent = (event: WedgeEvent) => {
      if (event.type === 'human-text') {
        input.focus();
        input.value += event.text;
        input.setSelectionRange(input.value.length, input.value.length);
        return;
      }
      if (event.from === 'scanbox') input.value = '';
      if (!event.duplicate) latest.current.onPayload(event.raw, event.source);
      if (latest.current.refocusAfterSubmit) input.focus();
    };
    const assembler = new WedgeAssembler({ onEvent, readBox: () => input.value });
    assemblerRef.current = assembler;
    const claimed = new Set<string>(); // keys swallowed on keydown: swallow their keyup too

    const onKeyDown = (ev: KeyboardEvent) => {
      const target: KeyTarget = ev.target === input ? 'scanbox' : isTextField(ev.target) ? 'editable' : 'free';
      if (assembler.handleKeyDown(ev, target) === 'pass') return;
      ev.preventDefault();
      if (target === 'free') {
        ev.stopImmediatePropagation();
        claimed.add(ev.key);
      }
    };
    const onKeyUp = (ev: KeyboardEvent) => {
      if (!claimed.delete(ev.key)) return;
      ev.preventDefault();
      ev.stopImmediatePropagation();
    };
    window.addEventListener('keydown', onKeyDown, true);
    window.addEventListener('keyup', onKeyUp, true);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('keyup', onKeyUp, true);
      assembler.dispose();
      assemblerRef.current = null;
    };
  }, []);

  return (
    <div className="flex flex-col gap-2">
      <label htmlFor="scan-box" className="text-lg font-semibold text-slate-800">{text.boxLabel}</label>
      <div className="flex gap-2">
        <input id="scan-box" ref={inputRef} type="text" autoFocus={autoFocus} autoComplete="off" spellCheck={false}
          inputMode="text" placeholder={text.boxPlaceholder}
          className="min-w-0 flex-1 rounded-lg border-2 border-brand-600 bg-white px-4 py-3 text-xl shadow-sm placeholder:text-slate-400 focus:border-brand-700" />
        <button type="button" className="rounded-lg bg-brand-700 px-6 text-lg font-semibold text-white hover:bg-brand-800"
          onClick={() => assemblerRef.current?.submitTyped(inputRef.current?.value ?? '')}>
          {text.submit}
        </button>
      </div>
    </div>
  );
}
