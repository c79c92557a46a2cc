'use client';

import { useId, useState } from 'react';
import { isoToTyped, parseTypedDate, TYPED_DATE_MESSAGE } from '@/lib/time/typed-date';

/**
 * The one date field of the product: typed as dd/MM/yyyy whatever the browser's locale (a native
 * `<input type="date">` shows mm/dd/yyyy in an English browser). Values in and out are ISO 'YYYY-MM-DD' (or 'YYYY'
 * with `allowYearOnly`). With `name`, a hidden input carries the ISO value, so plain HTML forms (GET or POST)
 * submit what servers expect; an invalid or later-than-`max` entry blocks submission with a Vietnamese message.
 */
export type DateInputProps = {
  name?: string;
  defaultValue?: string; // ISO
  /** Called with the ISO value once the text is a valid date (and not after `max`), or null while it is not. */
  onValidChange?: (iso: string | null) => void;
  max?: string; // ISO
  allowYearOnly?: boolean;
  required?: boolean;
  disabled?: boolean;
  id?: string;
  className?: string;
  invalidMessage?: string;
  'aria-label'?: string;
};

export function DateInput({ name, defaultValue, onValidChange, max, allowYearOnly, required, disabled, id, className, invalidMessage, ...aria }: DateInputProps) {
  const [iso, setIso] = useState(defaultValue ?? '');
  const hintId = useId();
  const placeholder = 'dd/MM/yyyy';
  const hint = allowYearOnly ? 'dd/MM/yyyy hoặc năm yyyy' : placeholder;
  return (
    <>
      <input type="text" inputMode="numeric" autoComplete="off" id={id} placeholder={placeholder} size={10}
        defaultValue={isoToTyped(defaultValue)} required={required} disabled={disabled} aria-label={aria['aria-label']}
        aria-describedby={hintId} className={className ?? 'rounded-md border border-slate-300 px-2 py-1.5 tabular-nums'}
        onChange={(e) => {
          const text = e.target.value;
          const parsed = parseTypedDate(text, { allowYearOnly });
          let message = '';
          if (text.trim() && !parsed.ok) message = invalidMessage ?? (allowYearOnly ? TYPED_DATE_MESSAGE.viYear : TYPED_DATE_MESSAGE.vi);
          else if (parsed.ok && max && !parsed.yearOnly && parsed.iso > max) message = TYPED_DATE_MESSAGE.after;
          e.target.setCustomValidity(message);
          const value = parsed.ok && !message ? parsed.iso : null;
          setIso(value ?? '');
          onValidChange?.(value);
        }} />
      <span id={hintId} className="sr-only">{hint}</span>
      {name && <input type="hidden" name={name} value={iso} />}
    </>
  );
}
