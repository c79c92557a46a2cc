'use client';

import { useState } from 'react';
import { fill } from '@/lib/i18n/messages';
import { useLang, useT } from '@/components/i18n';
import { formatIsoDate, formatTime } from '@/lib/time/local-day';
import { HandoffStatus } from '@/components/handoff/handoff-status';
import { CodeBadge } from '@/components/code-badge';
import { isCode, PRIORITIES, type Sex } from '@/lib/codes';
import { groupId } from './new-patient-form';
import type { CheckinResponse } from '@/lib/encounters/check-in';
import { ApiError, errorText } from '@/components/api-fetch';
import { updateDemographics } from './desk.resource';
import { Filled } from '@/components/filled';

type Field = 'fullName' | 'dateOfBirth' | 'sex' | 'address';
const FIELDS: Field[] = ['fullName', 'dateOfBirth', 'sex', 'address'];

/** The number scanned or typed (what the client sent), so a typo shows before the patient walks away. */
function sentIdentifier(identity: CheckinResponse['identity']): string | null {
  if (!identity) return null;
  return identity.personalId ?? identity.oldIdNumber ?? identity.bhyt?.cardCode ?? identity.bhyt?.bhxhNumber ?? null;
}

/** The queue number, and the card's values beside the stored ones with differences highlighted. */
export function CheckinResult({
  result,
  onPrint,
  printProblem,
  onUpdated,
}: {
  result: CheckinResponse;
  onPrint: () => void;
  printProblem?: string | null;
  onUpdated: (patient: CheckinResponse['patient']) => void;
}) {
  const t = useT();
  const lang = useLang();
  const r = t.desk.result;
  const { encounter, patient, identity } = result;
  const [busy, setBusy] = useState<Field | null>(null);
  const [error, setError] = useState<string | null>(null);
  const stored: Record<Field, string> = {
    fullName: patient.fullName,
    dateOfBirth: patient.birthDate,
    sex: patient.sex ?? '',
    address: patient.address ?? '',
  };
  const scanned: Partial<Record<Field, string>> = {
    fullName: identity?.fullName,
    dateOfBirth: identity?.dateOfBirth,
    sex: identity?.sex,
    address: identity?.address,
  };
  const show = (f: Field, v: string | undefined) =>
    f === 'dateOfBirth' ? formatIsoDate(v) : f === 'sex' ? (v ? t.codes.sex[v as Sex] : '') : (v ?? '');
  const message = result.created ? (
    <Filled template={r.created} vars={{ number: encounter.queueNumber, room: encounter.roomName }} vi={['room']} />
  ) : (
    fill(r.existing, { time: formatTime(new Date(encounter.checkedInAt)), number: encounter.queueNumber })
  );
  const sent = sentIdentifier(identity);
  // The card-vs-record columns only when a card (or the HIS) brought details: a typed number has none to compare.
  const compared = FIELDS.some((f) => scanned[f]);
  const serverLang = lang === 'vi' ? undefined : 'vi';

  async function updateFromCard(field: Field) {
    setBusy(field);
    setError(null);
    try {
      // Stored with the record: always Vietnamese.
      const updated = await updateDemographics(
        patient.id,
        { [field]: scanned[field] },
        'Cập nhật từ thẻ tại quầy tiếp đón',
      );
      onUpdated({ ...patient, ...updated.patient });
    } catch (e) {
      setError(e instanceof ApiError && e.status === 0 ? t.desk.problem.network : errorText(e, r.updateFailed));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section aria-label={r.region} className="grid gap-4 md:grid-cols-[220px_1fr]">
      <div className={`rounded-xl p-4 text-center text-white ${result.created ? 'bg-brand-700' : 'bg-amber-800'}`}>
        <div className="text-sm uppercase tracking-wide">{result.created ? r.queue : r.already}</div>
        <div data-testid="queue-number" className="text-7xl font-bold leading-tight">
          {encounter.queueNumber}
        </div>
        <div className="font-semibold" lang="vi">
          {encounter.roomName}
        </div>
        <div className="mt-1 text-xs">{encounter.number}</div>
        <button
          type="button"
          onClick={onPrint}
          className="mt-3 w-full rounded-md bg-white px-3 py-2 font-semibold text-slate-900 hover:bg-slate-100"
        >
          {r.print} <kbd className="ml-1 rounded border px-1 text-xs">F2</kbd>
        </button>
        {printProblem && (
          <p role="alert" className="mt-2 rounded bg-white p-1 text-sm font-medium text-red-800">
            {printProblem}
          </p>
        )}
      </div>
      <div className="rounded-xl border border-slate-200 bg-white p-4">
        <p
          role="status"
          data-testid="checkin-message"
          className={`mb-3 font-semibold ${result.created ? 'text-brand-800' : 'text-amber-900'}`}
        >
          {message}
        </p>
        {sent && (
          <p className="mb-2 text-sm text-slate-700">
            {r.identity}:{' '}
            <span data-testid="sent-identifier" className="font-semibold tabular-nums tracking-wide text-slate-900">
              {groupId(sent)}
            </span>
          </p>
        )}
        {patient.identifiers.length > 0 && (
          <p data-testid="stored-identifiers" className="mb-2 text-xs text-slate-700">
            {patient.identifiers.map((i) => `${t.codes.identifier[i.system] ?? i.system} ${i.masked}`).join(' · ')}
          </p>
        )}
        <div className="mb-3 flex flex-wrap gap-2 text-xs">
          <CodeBadge family="method" code={encounter.identificationMethod} />
          <CodeBadge family="payer" code={encounter.payer} />
          {encounter.bhytVerification && <CodeBadge family="bhytVerification" code={encounter.bhytVerification} />}
          {isCode(PRIORITIES, encounter.priority) && encounter.priority !== 'NORMAL' && (
            <CodeBadge family="priority" code={encounter.priority} template={r.priority} />
          )}
        </div>
        <div className="mb-3">
          <HandoffStatus encounterId={encounter.id} canRetry />
        </div>
        <table className="w-full text-sm">
          <thead>
            <tr className="text-left text-slate-700">
              <th className="py-1 pr-2 font-medium">
                <span className="sr-only">{r.field}</span>
              </th>
              <th className="py-1 pr-2 font-medium">{r.stored}</th>
              {compared && (
                <>
                  <th className="py-1 pr-2 font-medium">{r.onCard}</th>
                  <th>
                    <span className="sr-only">{r.updateFromCard}</span>
                  </th>
                </>
              )}
            </tr>
          </thead>
          <tbody>
            {FIELDS.map((f) => {
              const differs = scanned[f] !== undefined && scanned[f] !== '' && scanned[f] !== stored[f];
              return (
                <tr key={f} className={`border-t ${differs ? 'bg-amber-50' : ''}`} data-differs={differs || undefined}>
                  <th scope="row" className="whitespace-nowrap py-1.5 pr-2 text-left font-medium text-slate-700">
                    {r.fields[f]}
                  </th>
                  <td className="py-1.5 pr-2">{show(f, stored[f])}</td>
                  {compared && (
                    <>
                      <td className={`py-1.5 pr-2 ${differs ? 'font-semibold text-amber-900' : 'text-slate-700'}`}>
                        {scanned[f] !== undefined ? show(f, scanned[f]) : '—'}
                      </td>
                      <td className="py-1.5 text-right">
                        {differs && (
                          <button
                            type="button"
                            disabled={busy !== null}
                            onClick={() => void updateFromCard(f)}
                            className="whitespace-nowrap rounded border border-amber-700 px-2 py-0.5 text-xs text-amber-900 hover:bg-amber-100"
                          >
                            {busy === f ? r.updating : r.updateFromCard}
                          </button>
                        )}
                      </td>
                    </>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
        {result.warnings.length > 0 && (
          <div className="mt-3">
            <p className="text-sm font-semibold text-amber-900">{r.warnings}</p>
            <ul lang={serverLang} className="list-disc space-y-1 pl-5 text-sm text-amber-900">
              {result.warnings.map((w) => (
                <li key={w.code}>{w.message}</li>
              ))}
            </ul>
          </div>
        )}
        {result.bhytMessage && (
          <p lang={serverLang} className="mt-2 text-sm text-slate-800">
            {result.bhytMessage}
          </p>
        )}
        {error && (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {error}
          </p>
        )}
      </div>
    </section>
  );
}
