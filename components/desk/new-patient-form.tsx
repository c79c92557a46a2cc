'use client';

import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { DateInput, dateProblem } from '@/components/date-input';
import { fill } from '@/lib/i18n/messages';
import { useLang, useT } from '@/components/i18n';
import { decodePersonalId } from '@/lib/identity/personal-id';
import { typedPersonWarnings } from '@/lib/identity/soft-checks';
import { parseTypedDate } from '@/lib/time/typed-date';
import { formatIsoDate, localDay } from '@/lib/time/local-day';
import type { Problem } from './desk-console';
import type { CandidateSummary, CheckinNotFoundResponse, RevealedCandidate } from '@/lib/encounters/check-in';
import { errorText } from '@/components/api-fetch';
import { revealCandidate } from './desk.resource';
import type { Sex } from '@/lib/codes';

export type FormField = 'fullName' | 'dateOfBirth' | 'sex' | 'address';
const FIELDS: FormField[] = ['fullName', 'dateOfBirth', 'sex', 'address'];

export type NewPatientChoice =
  | { samePatientToken: string }
  | { newPatient: { fullName: string; dateOfBirth: string; sex: Sex; address?: string; hospitalCode?: string } };

/** 058090005555 → "058 090 005555": easier to read back to the patient. */
export function groupId(value: string): string {
  return /^\d{12}$/.test(value) ? `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6)}` : value;
}

/**
 * Not found: the form is pre-filled from the scan. Likely duplicates come first, the existing record chosen by
 * default ("đây là cùng một người"), so a glance and Enter never creates a second record for the same person.
 * Candidates arrive masked (name, birth year, ID tails); "Xem chi tiết" reveals one record (audited).
 *
 * What is typed stays through any failure (the desk keeps this form mounted and passes the server's `problem`);
 * errors sit next to their field and focus goes to the first field that needs the receptionist. A personal ID
 * (typed or scanned) is checked against the typed birth date and sex with the scanned cards' soft rules: a
 * mismatch is a warning the receptionist confirms after looking at the document.
 */
export function NewPatientForm({
  notFound,
  busy,
  problem,
  onSubmit,
  onCancel,
}: {
  notFound: CheckinNotFoundResponse;
  busy: boolean;
  problem: Problem | null;
  onSubmit: (choice: NewPatientChoice) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const lang = useLang();
  const f = t.desk.form;
  const id = notFound.identity;
  const personalId = id?.personalId;
  // The HIS knows them (its FHIR look-up): its details fill what the card does not say, and its code goes with the record.
  const his = notFound.his?.status === 'found' ? notFound.his.patient : null;
  const [choice, setChoice] = useState<string>(notFound.candidates[0]?.token ?? 'new');
  const [fullName, setFullName] = useState(id?.fullName ?? his?.fullName ?? '');
  const [dobText, setDobText] = useState(formatIsoDate(id?.dateOfBirth ?? his?.dateOfBirth ?? undefined));
  const [sex, setSex] = useState<Sex | ''>(id?.sex ?? his?.sex ?? '');
  const [address, setAddress] = useState(id?.address ?? his?.address ?? '');
  const [confirmed, setConfirmed] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<FormField, string>>>({});
  const [mustConfirm, setMustConfirm] = useState(false);
  const fullNameRef = useRef<HTMLInputElement>(null);
  const dateOfBirthRef = useRef<HTMLInputElement>(null);
  const sexRef = useRef<HTMLSelectElement>(null);
  const addressRef = useRef<HTMLInputElement>(null);
  const refs = { fullName: fullNameRef, dateOfBirth: dateOfBirthRef, sex: sexRef, address: addressRef };
  const submitButton = useRef<HTMLButtonElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const confirmBox = useRef<HTMLInputElement>(null);
  const formId = useId();
  const serverLang = lang === 'vi' ? undefined : 'vi';

  const dob = useMemo(() => {
    const parsed = parseTypedDate(dobText, { allowYearOnly: true });
    return parsed.ok ? parsed.iso : undefined;
  }, [dobText]);

  // The personal ID against what is typed: the same soft rules as a scanned card (lib/identity/soft-checks.ts).
  // eslint-disable-next-line react-hooks/preserve-manual-memoization -- the app does not run the React Compiler; the memo spares a re-check per keystroke
  const checks = useMemo(() => {
    const decoded = personalId ? decodePersonalId(personalId) : undefined;
    const out: Partial<Record<FormField, string>> = {};
    for (const w of typedPersonWarnings(personalId, dob, sex || undefined, localDay())) {
      const text = fill(f.checks[w.code as keyof typeof f.checks] ?? w.message, {
        idYear: decoded?.birthYear ?? '',
        idSex: decoded ? t.codes.sex[decoded.sex].toLowerCase() : '',
      });
      const field: FormField = w.code === 'ID_SEX_MISMATCH' ? 'sex' : 'dateOfBirth';
      out[field] = out[field] ? `${out[field]} ${text}` : text;
    }
    return out;
  }, [personalId, dob, sex, f, t.codes.sex]);
  const hasChecks = Object.keys(checks).length > 0;

  /** What still needs the receptionist, in the form's order. */
  function missing(): Partial<Record<FormField, string>> {
    if (choice !== 'new') return {};
    const out: Partial<Record<FormField, string>> = {};
    if (fullName.trim().length < 2) out.fullName = f.needName;
    if (!dobText.trim()) out.dateOfBirth = f.needDob;
    else if (!dob) out.dateOfBirth = dateProblem(dobText, t.dateInput, { allowYearOnly: true }) || f.needDob;
    if (!sex) out.sex = f.needSex;
    return out;
  }

  const focusFirst = (fields: Partial<Record<FormField, string>>) => {
    const first = FIELDS.find((k) => fields[k]);
    if (first) refs[first].current?.focus();
    return Boolean(first);
  };

  // On opening: the whole form in view (at 1366×768 it starts below the fold), then the first empty (or doubtful)
  // field; with everything filled from the card, the send button.
  useEffect(() => {
    formRef.current?.scrollIntoView({ block: 'nearest' });
    if (!focusFirst({ ...missing(), ...checks })) submitButton.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the form opens
  }, []);
  // After a failed send: the fields the server refused, else the send button (Enter sends again).
  useEffect(() => {
    if (!problem) return;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the server's refusal arrives as a prop; its fields become the form's errors once
    if (problem.fields) setErrors(problem.fields);
    if (!focusFirst(problem.fields ?? {})) submitButton.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- when a new problem arrives
  }, [problem]);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (choice !== 'new') return onSubmit({ samePatientToken: choice });
    const found = missing();
    setErrors(found);
    if (focusFirst(found)) return;
    if (hasChecks && !confirmed) {
      setMustConfirm(true);
      return void (focusFirst(checks) || confirmBox.current?.focus());
    }
    setMustConfirm(false);
    onSubmit({
      newPatient: {
        fullName: fullName.trim(),
        dateOfBirth: dob!,
        sex: sex as Sex,
        ...(address.trim() ? { address: address.trim() } : {}),
        ...(his?.hospitalCode ? { hospitalCode: his.hospitalCode } : {}),
      },
    });
  }

  const fieldProps = (field: FormField) => {
    const described = [errors[field] && `${formId}-${field}-error`, checks[field] && `${formId}-${field}-check`]
      .filter(Boolean)
      .join(' ');
    return { 'aria-invalid': errors[field] ? true : undefined, 'aria-describedby': described || undefined };
  };
  const note = (field: FormField) => (
    <>
      {errors[field] && (
        <span id={`${formId}-${field}-error`} className="mt-1 block text-sm font-medium text-red-700">
          {errors[field]}
        </span>
      )}
      {checks[field] && (
        <span id={`${formId}-${field}-check`} className="mt-1 block text-sm text-amber-900">
          ⚠ {checks[field]}
        </span>
      )}
    </>
  );
  const clear = (field: FormField) => setErrors((e) => (e[field] ? { ...e, [field]: undefined } : e));
  const input = 'mt-1 w-full rounded-md border border-slate-400 px-3 py-2 aria-[invalid=true]:border-red-600';
  const typed = id?.kind === 'PERSONAL_ID' || id?.kind === 'CMND';
  const shownId = id?.personalId ?? id?.oldIdNumber;

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      aria-label={f.name}
      className="rounded-xl border border-slate-200 bg-white p-4"
    >
      <p role="status" className="mb-2 font-semibold text-slate-800">
        {f.notFound}
      </p>
      {shownId && (
        <p className="mb-3 text-slate-800">
          <span className="text-sm text-slate-700">{typed ? f.typedId : f.scannedId}: </span>
          <span data-testid="form-identifier" className="text-lg font-semibold tabular-nums tracking-wide">
            {groupId(shownId)}
          </span>
        </p>
      )}
      {notFound.his && notFound.his.status !== 'not-found' && (
        <p
          data-testid="his-lookup"
          className={`mb-3 rounded-md border p-2 text-sm ${his ? 'border-sky-300 bg-sky-50 text-sky-950' : 'border-amber-300 bg-amber-50 text-amber-950'}`}
        >
          {his
            ? fill(his.hospitalCode ? f.his.found : f.his.foundNoCode, { code: his.hospitalCode ?? '' })
            : notFound.his.status === 'ambiguous'
              ? f.his.ambiguous
              : f.his.unavailable}
        </p>
      )}
      {notFound.warnings.length > 0 && (
        <ul lang={serverLang} className="mb-3 list-disc space-y-0.5 pl-5 text-sm text-amber-900">
          {notFound.warnings.map((w) => (
            <li key={w.code}>{w.message}</li>
          ))}
        </ul>
      )}
      {problem && (
        <div
          role="alert"
          className="mb-3 rounded-md border border-red-300 bg-red-50 p-2 text-sm font-medium text-red-800"
        >
          <span lang={problem.fromServer ? serverLang : undefined}>{problem.message}</span>
          {problem.session && (
            <>
              {' '}
              <a href="/login" target="_blank" rel="noopener" className="underline">
                {t.desk.problem.signIn}
              </a>
            </>
          )}
        </div>
      )}
      {notFound.candidates.length > 0 && (
        <fieldset className="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-3">
          <legend className="px-1 text-sm font-semibold text-amber-900">{f.candidates}</legend>
          {notFound.candidates.map((c) => (
            <CandidateOption
              key={c.token}
              candidate={c}
              checked={choice === c.token}
              onChoose={() => setChoice(c.token)}
            />
          ))}
          <label className="flex items-center gap-2 py-1">
            <input
              type="radio"
              name="choice"
              value="new"
              checked={choice === 'new'}
              onChange={() => setChoice('new')}
            />
            <span>{f.newPerson}</span>
          </label>
        </fieldset>
      )}
      <fieldset disabled={choice !== 'new'} className="grid gap-3 disabled:opacity-50 md:grid-cols-2">
        <label className="block md:col-span-2">
          <span className="text-sm font-medium">{f.fullName}</span>
          <input
            ref={fullNameRef}
            value={fullName}
            onChange={(e) => {
              setFullName(e.target.value);
              clear('fullName');
            }}
            autoComplete="off"
            className={input}
            {...fieldProps('fullName')}
          />
          {note('fullName')}
        </label>
        <label className="block">
          <span className="text-sm font-medium">{f.dateOfBirth}</span>
          <DateInput
            inputRef={dateOfBirthRef}
            defaultValue={id?.dateOfBirth ?? his?.dateOfBirth ?? undefined}
            allowYearOnly
            className={input}
            error={errors.dateOfBirth ?? null}
            onTextChange={(text) => {
              setDobText(text);
              clear('dateOfBirth');
            }}
          />
          {checks.dateOfBirth && <span className="mt-1 block text-sm text-amber-900">⚠ {checks.dateOfBirth}</span>}
        </label>
        <label className="block">
          <span className="text-sm font-medium">{f.sex}</span>
          <select
            ref={sexRef}
            value={sex}
            onChange={(e) => {
              setSex(e.target.value as Sex | '');
              clear('sex');
            }}
            className={input}
            {...fieldProps('sex')}
          >
            <option value="">{f.chooseSex}</option>
            <option value="M">{t.codes.sex.M}</option>
            <option value="F">{t.codes.sex.F}</option>
          </select>
          {note('sex')}
        </label>
        <label className="block md:col-span-2">
          <span className="text-sm font-medium">{f.address}</span>
          <input
            ref={addressRef}
            value={address}
            onChange={(e) => {
              setAddress(e.target.value);
              clear('address');
            }}
            autoComplete="off"
            className={input}
            {...fieldProps('address')}
          />
          {note('address')}
        </label>
      </fieldset>
      {choice === 'new' && hasChecks && (
        <div
          className={`mt-3 rounded-md border p-2 ${mustConfirm ? 'border-red-400 bg-red-50' : 'border-amber-300 bg-amber-50'}`}
        >
          <label className="flex items-center gap-2 text-sm font-medium">
            <input
              ref={confirmBox}
              type="checkbox"
              checked={confirmed}
              onChange={(e) => setConfirmed(e.target.checked)}
            />{' '}
            {f.confirmChecked}
          </label>
          {mustConfirm && !confirmed && (
            <p role="alert" className="mt-1 text-sm text-red-800">
              {f.mustConfirm}
            </p>
          )}
        </div>
      )}
      <div className="mt-4 flex gap-2">
        <button
          ref={submitButton}
          type="submit"
          disabled={busy}
          className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-60"
        >
          {problem?.retry ? t.desk.problem.retry : choice === 'new' ? f.create : f.useRecord}{' '}
          <kbd className="ml-1 rounded border border-white/50 px-1 text-xs">Enter</kbd>
        </button>
        <button type="button" onClick={onCancel} className="rounded-md border border-slate-400 px-4 py-2">
          {f.cancel} <kbd className="ml-1 rounded border px-1 text-xs">Esc</kbd>
        </button>
      </div>
    </form>
  );
}

/** One likely duplicate: masked until the receptionist asks to see it (the reveal is audited on the server). */
function CandidateOption({
  candidate: c,
  checked,
  onChoose,
}: {
  candidate: CandidateSummary;
  checked: boolean;
  onChoose: () => void;
}) {
  const t = useT();
  const f = t.desk.form;
  const [record, setRecord] = useState<RevealedCandidate | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  async function reveal() {
    setProblem(null);
    try {
      setRecord((await revealCandidate(c.token)).patient);
    } catch (e) {
      setProblem(errorText(e, f.revealFailed));
    }
  }
  const same = fill(f.same, { name: c.fullName });
  return (
    <div className="flex items-start gap-2 py-1">
      <input
        type="radio"
        name="choice"
        value={c.token}
        checked={checked}
        onChange={onChoose}
        className="mt-1"
        aria-label={same}
      />
      <span>
        <span className="font-semibold">{same}</span> —{' '}
        {record ? formatIsoDate(record.birthDate) : fill(f.bornIn, { year: c.birthYear })}
        {c.sex ? `, ${t.codes.sex[c.sex]}` : ''}
        {record?.address ? <span className="block text-sm text-slate-700">{record.address}</span> : null}
        <span className="block text-xs text-slate-700">
          {c.identifiers.map((i) => `${t.codes.identifier[i.system] ?? i.system} ${i.masked}`).join(' · ')}
        </span>
        {!record && (
          <button type="button" onClick={() => void reveal()} className="text-xs text-brand-700 underline">
            {f.reveal}
          </button>
        )}
        {problem && (
          <span role="alert" className="block text-xs text-red-700">
            {problem}
          </span>
        )}
      </span>
    </div>
  );
}
