import Link from 'next/link';
import { headers } from 'next/headers';
import { staffPage } from '@/app/_lib/staff-page';
import { clientIp } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { auditedRecord } from '@/lib/patients/lookup';
import { formatDate, formatDateTime, formatIsoDate, formatTime } from '@/lib/time/local-day';
import { fill } from '@/lib/i18n/messages';
import { isCode, PURPOSES, type AuditAction } from '@/lib/codes';
import { CodeBadge } from '@/components/code-badge';
import { BreakGlassForm } from '@/components/support/break-glass-form';
import { DomainError } from '@/lib/errors';
import { BREAK_GLASS_ACTION, BREAK_GLASS_MINUTES } from '@/lib/patients/access';
import { AddIdentifierForm, CorrectionForm, MergePanel, UnmergeForm } from '@/components/support/patient-actions';

export const dynamic = 'force-dynamic';

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

function Card({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section aria-label={title} className="rounded-xl border border-slate-200 bg-white p-4">
      <h2 className="mb-2 text-lg font-semibold">{title}</h2>
      {children}
    </section>
  );
}

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ purpose?: string }>;
}) {
  const { id } = await params;
  const { purpose } = await searchParams;
  return staffPage('search', async ({ t, user }) => {
    if (!isCode(PURPOSES, purpose)) {
      // No record is read before a purpose is chosen.
      return (
        <form method="get" className="max-w-md space-y-3 rounded-xl border border-slate-200 bg-white p-4">
          <h1 className="text-xl font-semibold">{t.search.purpose}</h1>
          <p className="text-sm text-slate-600">{t.search.purposeFirst}</p>
          <select
            name="purpose"
            required
            className="w-full rounded-md border border-slate-300 px-2 py-2"
            aria-label={t.search.purpose}
          >
            <option value="">{t.search.choosePurpose}</option>
            {PURPOSES.map((c) => (
              <option key={c} value={c}>
                {t.codes.purpose[c]}
              </option>
            ))}
          </select>
          <button className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white">{t.search.open}</button>
        </form>
      );
    }
    let record;
    try {
      record = /^[0-9a-f-]{36}$/i.test(id)
        ? await auditedRecord(getDb(), user, purpose, id, clientIp(await headers()))
        : null;
    } catch (error) {
      // Outside this facility (lib/patients/access.ts): nothing is shown until a reason is given.
      if (error instanceof DomainError && error.code === 'OUTSIDE_FACILITY')
        return <BreakGlassForm t={t.patient} patientId={id} minutes={BREAK_GLASS_MINUTES} />;
      throw error;
    }
    const tp = t.patient;
    if (!record) return <p role="alert">{tp.notFound}</p>;
    const { patient, encounters, merges, auditTrail } = record;
    const codes = t.codes;
    return (
      <div className="space-y-4">
        <Link href="/tra-cuu" className="text-sm text-brand-700 underline">
          ← {t.search.title}
        </Link>
        <h1 lang="vi" className="text-2xl font-semibold">
          {patient.fullName}
        </h1>
        <p className="text-slate-700">
          {t.search.born}: {formatIsoDate(patient.birthDate)} · {patient.sex ? codes.sex[patient.sex] : '—'} ·{' '}
          {t.search.phone}: {patient.phone ?? '—'}
          {patient.address ? (
            <>
              {' '}
              · <span lang="vi">{patient.address}</span>
            </>
          ) : null}
        </p>
        <p className="text-xs text-slate-600">
          {tp.recordId}: <span data-testid="patient-id">{patient.id}</span> · {t.search.purpose}:{' '}
          {codes.purpose[purpose]}
        </p>
        {patient.mergedInto && (
          <p role="status" className="rounded bg-amber-50 p-3 text-amber-900">
            {tp.mergedInto}{' '}
            <Link className="underline" href={`/tra-cuu/${patient.mergedInto.id}?purpose=${purpose}`}>
              {patient.mergedInto.fullName}
            </Link>
            .
          </p>
        )}
        <Card title={tp.identifiers}>
          <table className="w-full text-sm">
            <tbody>
              {patient.identifiers.map((i) => (
                <tr key={i.id} className={`border-t border-slate-100 ${i.retiredAt ? 'text-slate-400' : ''}`}>
                  <td className="py-1 pr-3">{codes.identifier[i.system]}</td>
                  <td className="py-1 pr-3 font-mono">{i.value}</td>
                  <td className="py-1 pr-3">{fill(tp.since, { date: formatDate(i.createdAt) })}</td>
                  <td className="py-1">{i.retiredAt ? `${tp.retired} ${formatDate(i.retiredAt)}` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!patient.mergedIntoId && (
            <div className="mt-3">
              <AddIdentifierForm
                t={tp}
                systems={codes.identifier}
                patientId={patient.id}
                active={patient.identifiers
                  .filter((i) => !i.retiredAt)
                  .map((i) => ({ id: i.id, label: `${codes.identifier[i.system]} ${i.value}` }))}
              />
            </div>
          )}
        </Card>
        <Card title={tp.coverage}>
          {patient.coverages.length === 0 ? (
            <p className="text-sm text-slate-500">—</p>
          ) : (
            <table className="w-full text-sm">
              <tbody>
                {patient.coverages.map((c) => (
                  <tr key={c.id} className="border-t border-slate-100">
                    <td className="py-1 pr-3 font-mono">{c.cardCode ?? c.bhxhNumber}</td>
                    <td className="py-1 pr-3">
                      {c.validFrom ? formatIsoDate(c.validFrom) : ''} – {c.validTo ? formatIsoDate(c.validTo) : ''}
                    </td>
                    <td className="py-1 pr-3">
                      {[
                        c.benefitLevel && fill(tp.benefitLevel, { level: c.benefitLevel }),
                        c.registeredFacility && fill(tp.registeredFacility, { code: c.registeredFacility }),
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </td>
                    <td className="py-1">
                      {codes.coverageVerification[c.verification]}
                      {c.verifiedAt ? ` ${formatDateTime(c.verifiedAt)}` : ''}
                      {c.gatewayResultCode ? (
                        <>
                          {' '}
                          ({fill(tp.gatewayCode, { code: c.gatewayResultCode })}
                          {c.gatewayMessage ? (
                            <>
                              : <span lang="vi">{c.gatewayMessage}</span>
                            </>
                          ) : null}
                          )
                        </>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <Card title={tp.encounters}>
          {encounters.length === 0 ? (
            <p className="text-sm text-slate-500">—</p>
          ) : (
            <table className="w-full text-sm">
              <tbody>
                {encounters.map((e) => (
                  <tr key={e.id} className="border-t border-slate-100">
                    <td className="py-1 pr-3">
                      {formatIsoDate(isoDate(e.localDate))} {formatTime(e.checkedInAt)}
                    </td>
                    <td className="py-1 pr-3">{e.number}</td>
                    <td className="py-1 pr-3" lang="vi">
                      {e.room.name}
                    </td>
                    <td className="py-1 pr-3">
                      <CodeBadge family="encounterStatus" code={e.status} />
                    </td>
                    <td className="py-1 pr-3">{codes.payer[e.payer]}</td>
                    <td className="py-1">
                      {e.handoff ? (
                        <>
                          <CodeBadge family="handoffStatus" code={e.handoff.status} /> ({e.handoff.event})
                        </>
                      ) : (
                        tp.notSent
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        {!patient.mergedIntoId && (
          <Card title={tp.correct}>
            <CorrectionForm
              t={tp}
              sexes={codes.sex}
              dateText={t.dateInput}
              patientId={patient.id}
              current={{
                fullName: patient.fullName,
                birthDate: patient.birthDate,
                sex: patient.sex,
                phone: patient.phone,
                address: patient.address,
              }}
            />
          </Card>
        )}
        <Card title={tp.merges}>
          <ul className="mb-3 space-y-2 text-sm">
            {merges.map((m) => (
              <li key={m.id} className="rounded border border-slate-100 p-2">
                {m.survivorId === patient.id ? tp.mergedFrom : tp.mergedTo}{' '}
                <Link
                  className="underline"
                  href={`/tra-cuu/${m.survivorId === patient.id ? m.mergedId : m.survivorId}?purpose=${purpose}`}
                >
                  {(m.survivorId === patient.id ? m.mergedId : m.survivorId).slice(0, 8)}
                </Link>
                {` · ${formatDateTime(m.mergedAt)} · ${m.mergedBy ?? ''} · ${m.reason}`}
                {m.unmergedAt
                  ? ` · ${fill(tp.unmergedOn, { date: formatDate(m.unmergedAt) })} (${m.unmergeReason ?? ''})`
                  : m.survivorId === patient.id && (
                      <div className="mt-1">
                        <UnmergeForm t={tp} mergeId={m.id} />
                      </div>
                    )}
                {m.hisNote && (
                  <p role="note" className="mt-1 rounded bg-amber-50 p-2 text-amber-900" data-testid="merge-his-note">
                    {m.hisNote}
                  </p>
                )}
              </li>
            ))}
          </ul>
          {!patient.mergedIntoId && <MergePanel t={tp} patientId={patient.id} survivorName={patient.fullName} />}
        </Card>
        <Card title={tp.audit}>
          <table className="w-full text-sm">
            <tbody>
              {auditTrail.map((a) => (
                <tr key={a.id} className="border-t border-slate-100">
                  <td className="py-1 pr-3">{formatDateTime(a.at)}</td>
                  <td className="py-1 pr-3">{a.actorName}</td>
                  <td className="py-1 pr-3">{codes.auditAction[a.action as AuditAction] ?? codes.auditOther}</td>
                  <td className="py-1">
                    {a.action === BREAK_GLASS_ACTION
                      ? (a.details as { reason?: string } | null)?.reason
                      : isCode(PURPOSES, a.purpose)
                        ? codes.purpose[a.purpose]
                        : a.purpose}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      </div>
    );
  });
}
