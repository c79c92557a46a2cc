'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { fill, type Messages } from '@/lib/i18n/messages';
import type { PatientSearchResponse } from '@/lib/patients/lookup';
import { ApiError, errorText } from '@/components/api-fetch';
import { addIdentifier, correctPatient, mergePatients, searchPatients, unmergePatients } from './support.resource';
import { DateInput } from '@/components/date-input';
import type { Sex } from '@/lib/codes';
import { formatIsoDate } from '@/lib/time/local-day';

type T = Messages['patient'];
const input = 'mt-1 w-full rounded-md border border-slate-300 px-3 py-2';
const button = 'rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-60';

type SameDayVisit = { date: string; rooms: string[] };

/** Sends a change; on success the page is refreshed from the server. Errors are shown, nothing typed is lost. */
function useAction(t: T) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function run(call: () => Promise<unknown>, after?: () => void, onRefused?: (error: ApiError) => boolean) {
    setBusy(true);
    setError(null);
    try {
      await call();
    } catch (e) {
      // No connection or a refusal: the form keeps what was typed.
      if (e instanceof ApiError && e.status !== 0 && onRefused?.(e)) return;
      return setError(errorText(e, t.failed));
    } finally {
      setBusy(false);
    }
    after?.();
    router.refresh();
  }
  // Server messages are Vietnamese (lib/validation.ts): said so to screen readers in English mode.
  const alert = error ? (
    <p role="alert" lang="vi" className="mt-2 rounded bg-red-50 p-2 text-sm text-red-800">
      {error}
    </p>
  ) : null;
  return { run, busy, alert, setError };
}

type Current = { fullName: string; birthDate: string; sex: Sex | null; phone: string | null; address: string | null };

/** Corrects name, birth date, sex, phone and address; only what changed is sent (the audit row names those fields). */
export function CorrectionForm({
  t,
  sexes,
  dateText,
  patientId,
  current,
}: {
  t: T;
  sexes: Messages['codes']['sex'];
  dateText: Messages['dateInput'];
  patientId: string;
  current: Current;
}) {
  const { run, busy, alert, setError } = useAction(t);
  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const text = (key: string) => String(f.get(key) ?? '').trim();
    const body: Record<string, string | null> = { reason: text('reason') };
    if (text('fullName') !== current.fullName) body.fullName = text('fullName');
    if (text('birthDate') !== current.birthDate) body.birthDate = text('birthDate');
    if ((text('sex') || null) !== current.sex) body.sex = text('sex') || null;
    if ((text('phone') || null) !== current.phone) body.phone = text('phone') || null;
    if ((text('address') || null) !== (current.address ?? null)) body.address = text('address') || null;
    if (Object.keys(body).length === 1) return setError(t.nothingChanged);
    void run(() => correctPatient(patientId, body));
  }
  return (
    <form onSubmit={onSubmit} aria-label={t.correct} className="grid gap-2 md:grid-cols-4">
      <label className="md:col-span-2">
        {t.fullName}
        <input name="fullName" defaultValue={current.fullName} required className={input} />
      </label>
      <label>
        {t.dateOfBirth}
        <DateInput
          name="birthDate"
          allowYearOnly
          required
          defaultValue={current.birthDate}
          text={dateText}
          className={input}
        />
      </label>
      <label>
        {t.sex}
        <select name="sex" defaultValue={current.sex ?? ''} className={input}>
          <option value="">{t.unknownSex}</option>
          <option value="M">{sexes.M}</option>
          <option value="F">{sexes.F}</option>
        </select>
      </label>
      <label className="md:col-span-2">
        {t.address}
        <input name="address" defaultValue={current.address ?? ''} className={input} />
      </label>
      <label>
        {t.phone}
        <input name="phone" inputMode="tel" defaultValue={current.phone ?? ''} className={input} />
      </label>
      <label>
        {t.reason}
        <input name="reason" required minLength={3} className={input} />
      </label>
      <div>
        <button disabled={busy} className={button}>
          {t.save}
        </button>
        {alert}
      </div>
    </form>
  );
}

export function AddIdentifierForm({
  t,
  systems,
  patientId,
  active,
}: {
  t: T;
  systems: Messages['codes']['identifier'];
  patientId: string;
  active: { id: string; label: string }[];
}) {
  const { run, busy, alert } = useAction(t);
  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const replacesId = String(f.get('replacesId') || '');
    void run(() =>
      addIdentifier(patientId, {
        system: String(f.get('system')),
        value: String(f.get('value')),
        reason: String(f.get('reason')),
        ...(replacesId ? { replacesId } : {}),
      }),
    );
  }
  return (
    <form onSubmit={onSubmit} aria-label={t.addIdentifier} className="grid gap-2 md:grid-cols-4">
      <label>
        {t.system}
        <select name="system" className={input}>
          {(Object.keys(systems) as (keyof typeof systems)[]).map((system) => (
            <option key={system} value={system}>
              {systems[system]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.value}
        <input name="value" required className={input} />
      </label>
      <label>
        {t.replaces}
        <select name="replacesId" className={input}>
          <option value="">—</option>
          {active.map((a) => (
            <option key={a.id} value={a.id}>
              {a.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.reason}
        <input name="reason" required minLength={3} className={input} />
      </label>
      <div>
        <button disabled={busy} className={button}>
          {t.addIdentifier}
        </button>
        {alert}
      </div>
    </form>
  );
}

/**
 * Finds the duplicate (by identifier or name, under purpose "sửa hồ sơ") and merges it into this record, after a
 * confirmation step that says what will happen; when both records have visits on one day, the server lists them
 * (409 SAME_DAY_VISITS) and the step asks again with that warning.
 */
export function MergePanel({ t, patientId, survivorName }: { t: T; patientId: string; survivorName: string }) {
  const { run, busy, alert } = useAction(t);
  const [candidates, setCandidates] = useState<PatientSearchResponse['rows'] | null>(null);
  const [findError, setFindError] = useState<string | null>(null);
  const [pending, setPending] = useState<{
    mergedId: string;
    mergedName: string;
    reason: string;
    sameDay?: SameDayVisit[];
  } | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (pending) confirmButton.current?.focus();
  }, [pending]);

  async function find(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const q = String(new FormData(event.currentTarget).get('q'));
    const found = await searchPatients({ q, purpose: 'FIX_RECORD' }).catch((e: unknown) => e as Error);
    if (found instanceof Error) return setFindError(errorText(found, t.failed));
    setFindError(null);
    setCandidates(found.rows.filter((r) => r.id !== patientId && !r.mergedIntoId));
  }
  function ask(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const mergedId = String(f.get('mergedId'));
    setPending({
      mergedId,
      mergedName: candidates?.find((c) => c.id === mergedId)?.fullName ?? '',
      reason: String(f.get('reason')),
    });
  }
  function merge() {
    if (!pending) return;
    void run(
      () =>
        mergePatients({
          survivorId: patientId,
          mergedId: pending.mergedId,
          reason: pending.reason,
          ...(pending.sameDay ? { confirmSameDay: true } : {}),
        }),
      () => {
        setPending(null);
        setCandidates(null);
      },
      (error) => {
        if (error.status !== 409 || error.code !== 'SAME_DAY_VISITS') return false;
        setPending({ ...pending, sameDay: (error.error?.visits as SameDayVisit[] | undefined) ?? [] });
        return true;
      },
    );
  }
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-700">{t.mergeHint}</p>
      <form onSubmit={find} className="flex gap-2">
        <input name="q" required minLength={2} className={input} aria-label={t.find} />
        <button className={button}>{t.find}</button>
      </form>
      {findError && (
        <p role="alert" lang="vi" className="text-sm text-red-700">
          {findError}
        </p>
      )}
      {candidates &&
        (candidates.length === 0 ? (
          <p role="status">{t.noDuplicates}</p>
        ) : (
          <form onSubmit={ask} aria-label={t.merge} className="space-y-2">
            {candidates.map((c, i) => (
              <label key={c.id} className="block">
                <input type="radio" name="mergedId" value={c.id} defaultChecked={i === 0} className="mr-2" />
                <span lang="vi">{c.fullName}</span> · {formatIsoDate(c.birthDate)} ·{' '}
                {c.identifiers.map((x) => x.value).join(', ')}
              </label>
            ))}
            <label className="block">
              {t.reason}
              <input name="reason" required minLength={3} className={input} />
            </label>
            <button disabled={busy || pending !== null} className={button}>
              {t.merge}
            </button>
          </form>
        ))}
      {pending && (
        <div
          role="alertdialog"
          aria-labelledby={`${patientId}-merge-title`}
          aria-describedby={`${patientId}-merge-body`}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setPending(null);
          }}
          className={`rounded-lg border-2 p-3 ${pending.sameDay ? 'border-amber-500 bg-amber-50' : 'border-brand-600 bg-white'}`}
        >
          <h3 id={`${patientId}-merge-title`} className="font-semibold">
            {pending.sameDay ? t.sameDayTitle : t.confirmTitle}
          </h3>
          <div id={`${patientId}-merge-body`} className="mt-1 space-y-1 text-sm">
            <p>{fill(t.confirmBody, { merged: pending.mergedName, survivor: survivorName })}</p>
            {pending.sameDay && (
              <>
                <ul className="list-disc pl-5 font-medium text-amber-950">
                  {pending.sameDay.map((v) => (
                    <li key={v.date}>
                      {fill(t.sameDayVisit, { date: formatIsoDate(v.date), rooms: v.rooms.join(', ') })}
                    </li>
                  ))}
                </ul>
                <p className="text-amber-950">{t.sameDayHint}</p>
              </>
            )}
          </div>
          <div className="mt-2 flex gap-2">
            <button ref={confirmButton} type="button" disabled={busy} onClick={merge} className={button}>
              {pending.sameDay ? t.confirmAnyway : t.confirm}
            </button>
            <button
              type="button"
              onClick={() => setPending(null)}
              className="rounded-md border border-slate-400 px-4 py-2"
            >
              {t.cancel}
            </button>
          </div>
        </div>
      )}
      {alert}
    </div>
  );
}

export function UnmergeForm({ t, mergeId }: { t: T; mergeId: string }) {
  const { run, busy, alert } = useAction(t);
  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(() => unmergePatients(mergeId, String(new FormData(event.currentTarget).get('reason'))));
  }
  return (
    <form onSubmit={onSubmit} aria-label={t.unmerge} className="flex items-end gap-2">
      <label>
        {t.reason}
        <input name="reason" required minLength={3} className={input} />
      </label>
      <button disabled={busy} className="rounded-md border border-red-300 px-3 py-2 text-red-800 hover:bg-red-50">
        {t.unmerge}
      </button>
      {alert}
    </form>
  );
}
