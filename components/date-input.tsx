'use client';

import { useId, useState } from 'react';
import type { Messages } from '@/lib/i18n/messages';
import { useT } from './i18n';
import { isoToTyped, parseTypedDate } from '@/lib/time/typed-date';

/**
 * The one date field of the product: typed as dd/MM/yyyy whatever the browser's locale (a native
 * `<input type="date">` shows mm/dd/yyyy in an English browser). Values in and out are ISO 'YYYY-MM-DD' (or 'YYYY'
 * with `allowYearOnly`). With `name`, a hidden input carries the ISO value, so plain HTML forms (GET or POST)
 * submit what servers expect; an invalid or later-than-`max` entry blocks submission. What is wrong is said next
 * to the field (once the field is left, or the form is sent): "31/02/1990" is a date that does not exist, not a
 * format error. `error` (e.g. from the server) is shown instead when given.
 */
export type DateInputProps = {
  name?: string;
  defaultValue?: string; // ISO
  /** Called with the ISO value once the text is a valid date (and not after `max`), or null while it is not. */
  onValidChange?: (iso: string | null) => void;
  /** Called with the text as typed (to tell "empty" from "not a date"). */
  onTextChange?: (text: string) => void;
  max?: string; // ISO
  allowYearOnly?: boolean;
  required?: boolean;
  disabled?: boolean;
  id?: string;
  className?: string;
  error?: string | null;
  text?: Messages['dateInput'];
  'aria-label'?: string;
  inputRef?: React.Ref<HTMLInputElement>;
};

/** What is wrong with a typed date, or '' when nothing is. */
export function dateProblem(
  text: string,
  t: Messages['dateInput'],
  options: { allowYearOnly?: boolean; max?: string } = {},
): string {
  if (!text.trim()) return '';
  const parsed = parseTypedDate(text, options);
  if (!parsed.ok) return parsed.reason === 'not-a-date' ? t.notReal : options.allowYearOnly ? t.formatYear : t.format;
  if (options.max && !parsed.yearOnly && parsed.iso > options.max) return t.after;
  return '';
}

export function DateInput({
  name,
  defaultValue,
  onValidChange,
  onTextChange,
  max,
  allowYearOnly,
  required,
  disabled,
  id,
  className,
  error,
  text: given,
  inputRef,
  ...aria
}: DateInputProps) {
  const catalogue = useT().dateInput;
  const text = given ?? catalogue; // the page's language (useT) unless the caller passes other words
  const [iso, setIso] = useState(defaultValue ?? '');
  const [problem, setProblem] = useState('');
  const [shown, setShown] = useState(false);
  const hintId = useId();
  const errorId = useId();
  const message = error ?? (shown ? problem : '');
  return (
    <>
      <input
        type="text"
        inputMode="numeric"
        autoComplete="off"
        id={id}
        placeholder="dd/MM/yyyy"
        size={10}
        ref={inputRef}
        defaultValue={isoToTyped(defaultValue)}
        required={required}
        disabled={disabled}
        aria-label={aria['aria-label']}
        aria-describedby={message ? `${hintId} ${errorId}` : hintId}
        aria-invalid={message ? true : undefined}
        className={className ?? 'rounded-md border border-slate-300 px-2 py-1.5 tabular-nums'}
        onBlur={() => setShown(true)}
        onInvalid={(e) => {
          e.preventDefault();
          setShown(true);
        }}
        onChange={(e) => {
          const typed = e.target.value;
          const found = dateProblem(typed, text, { allowYearOnly, max });
          e.target.setCustomValidity(found);
          setProblem(found);
          const parsed = parseTypedDate(typed, { allowYearOnly });
          const value = parsed.ok && !found ? parsed.iso : null;
          setIso(value ?? '');
          onValidChange?.(value);
          onTextChange?.(typed);
        }}
      />
      <span id={hintId} className="sr-only">
        {allowYearOnly ? text.hintYear : text.hint}
      </span>
      {message && (
        <span id={errorId} className="mt-1 block text-sm text-red-700">
          {message}
        </span>
      )}
      {name && <input type="hidden" name={name} value={iso} />}
    </>
  );
}
