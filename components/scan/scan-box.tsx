'use client';

import { useEffect, useImperativeHandle, useRef } from 'react';
import { useLatest } from '@/components/use-latest';
import { WedgeAssembler, type KeyTarget, type WedgeEvent } from '@/lib/scan/wedge';
import type { OnPayload, ScanText } from './types';

export type ScanBoxHandle = { focus(): void };

const NON_TEXT_INPUTS = new Set(['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file', 'image']);

/** A field that takes typed text. A drop-down is not one: a scan there must not pick options or open it. */
function isTextField(el: EventTarget | null): el is HTMLInputElement | HTMLTextAreaElement | HTMLElement {
  if (!(el instanceof HTMLElement)) return false;
  if (el instanceof HTMLInputElement) return !NON_TEXT_INPUTS.has(el.type);
  return el instanceof HTMLTextAreaElement || el.isContentEditable;
}

/** Sets a field's text so React sees it (its onChange runs), e.g. to undo a scan typed into a form field. */
function setFieldText(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el), 'value')?.set;
  setter?.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Typing on a focused drop-down picks the first option whose label starts with the text (as browsers do). */
function pickOption(select: HTMLSelectElement, typed: string) {
  const fold = (t: string) => t.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const wanted = fold(typed);
  const option = Array.from(select.options).find((o) => !o.disabled && fold(o.label).startsWith(wanted));
  if (!option || option.value === select.value) return;
  select.value = option.value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

/**
 * The desk's always-ready input. Enter submits what was typed or scanned into it ('typed' or 'wedge' by
 * key speed). A window-level listener (capture phase, so it runs before any other handler) also catches a
 * scanner burst wherever focus is: on the page, a button, a drop-down or a checkbox its keys are swallowed (no
 * shortcut, no option picked); in another text field (a form) the burst is taken back out of the field, which
 * is left as it was. Either way it becomes one payload. Slow keys typed on a non-text control are moved into
 * this box (on a drop-down they pick an option, as usual).
 */
export function ScanBox({
  onPayload,
  text,
  autoFocus = true,
  refocusAfterSubmit = true,
  hidden = false,
  ref,
}: {
  onPayload: OnPayload;
  text: ScanText;
  autoFocus?: boolean;
  refocusAfterSubmit?: boolean;
  /** The kiosk: the same capture, but no box to see and no on-screen keyboard (a touch screen has no keys to type on). */
  hidden?: boolean;
  ref?: React.Ref<ScanBoxHandle>;
}) {
  const inputRef = useRef<HTMLInputElement>(null);
  const assemblerRef = useRef<WedgeAssembler | null>(null);
  const latest = useLatest({ onPayload, refocusAfterSubmit });

  useImperativeHandle(ref, () => ({ focus: () => inputRef.current?.focus() }), []);

  useEffect(() => {
    const input = inputRef.current!;
    // Where the current run of keys started, and that field's text then (to undo a burst typed into it).
    let runStart: { el: Element | null; text: string | null } = { el: null, text: null };
    const onRunStart = () => {
      const el = document.activeElement;
      runStart = { el, text: el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el.value : null };
    };
    const onEvent = (event: WedgeEvent) => {
      if (event.type === 'human-text') {
        if (runStart.el instanceof HTMLSelectElement && !event.terminated) return pickOption(runStart.el, event.text);
        input.focus();
        input.value += event.text;
        input.setSelectionRange(input.value.length, input.value.length);
        return;
      }
      if (event.from === 'scanbox') input.value = '';
      if (
        event.from === 'field' &&
        (runStart.el instanceof HTMLInputElement || runStart.el instanceof HTMLTextAreaElement) &&
        runStart.text !== null
      ) {
        setFieldText(runStart.el, runStart.text);
      }
      if (!event.duplicate) latest.current.onPayload(event.raw, event.source);
      if (latest.current.refocusAfterSubmit && event.from !== 'field') input.focus();
    };
    const assembler = new WedgeAssembler({ onEvent, onRunStart, readBox: () => input.value });
    assemblerRef.current = assembler;
    const claimed = new Set<string>(); // keys swallowed on keydown: swallow their keyup too

    const onKeyDown = (ev: KeyboardEvent) => {
      const target: KeyTarget = ev.target === input ? 'scanbox' : isTextField(ev.target) ? 'field' : 'free';
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
  }, [latest]);

  return (
    <div className={hidden ? 'sr-only' : 'flex flex-col gap-2'}>
      <label htmlFor="scan-box" className="text-lg font-semibold text-slate-800">
        {text.boxLabel}
      </label>
      <div className="flex gap-2">
        <input
          id="scan-box"
          ref={inputRef}
          type="text"
          autoFocus={autoFocus}
          autoComplete="off"
          spellCheck={false}
          inputMode={hidden ? 'none' : 'text'}
          tabIndex={hidden ? -1 : undefined}
          placeholder={text.boxPlaceholder}
          className="min-w-0 flex-1 rounded-lg border-2 border-brand-600 bg-white px-4 py-3 text-xl shadow-sm placeholder:text-slate-400 focus:border-brand-700"
        />
        <button
          type="button"
          className="rounded-lg bg-brand-700 px-6 text-lg font-semibold text-white hover:bg-brand-800"
          onClick={() => assemblerRef.current?.submitTyped(inputRef.current?.value ?? '')}
        >
          {text.submit}
        </button>
      </div>
    </div>
  );
}
