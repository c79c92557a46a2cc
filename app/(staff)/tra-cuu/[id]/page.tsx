import Link from 'next/link';
import { headers } from 'next/headers';
import { staffPage } from '@/app/_lib/staff-page';
import { clientIp } from '@/app/_lib/guard';
import { currentLang } from '@/app/_lib/lang';
import { getDb } from '@/lib/db/client';
import { auditedRecord } from '@/lib/patients/lookup';
import { isPurpose, PURPOSES, PURPOSE_CODES } from '@/lib/patients/purposes';
import { formatDate, formatTime } from '@/lib/time/local-day';
import { birthLabel } from '@/components/support/format';
import { AddIdentifierForm, CorrectionForm, MergePanel, UnmergeForm } from '@/components/support/patient-actions';

export const dynamic = 'force-dynamic';

const SYSTEM_LABEL: Record<string, string> = { PERSONAL_ID: 'Số định danh (CCCD)', CMND: 'CMND', BHYT_CARD: 'Thẻ BHYT', BHXH_NUMBER: 'Mã số BHXH', HOSPITAL_CODE: 'Mã bệnh nhân' };
const HANDOFF_LABEL: Record<string, string> = { PENDING: 'Chờ gửi', SENDING: 'Đang gửi', DELIVERED: 'HIS đã nhận', FAILED: 'Lỗi', PARKED: 'Tạm dừng' };
const VERIFY_LABEL: Record<string, string> = { UNVERIFIED: 'Chưa xác minh', VERIFIED: 'Đã xác minh', REJECTED: 'Bị từ chối' };
const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const vnDate = (iso: string) => birthLabel(iso);

function Card({ title, children }: { title: string; children: React.ReactNode }) {
  return <section aria-label={title} className="rounded-xl border border-slate-200 bg-white p-4"><h2 className="mb-2 text-lg font-semibold">{title}</h2>{children}</section>;
}

export default async function Page({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ purpose?: string }> }) {
  const { id } = await params;
  const { purpose } = await searchParams;
  const lang = await currentLang();
  return staffPage('search', async ({ t, user }) => {
    if (!isPurpose(purpose)) {
      // No record is read before a purpose is chosen.
      return (
        <form method="get" className="max-w-md space-y-3 rounded-xl border border-slate-200 bg-white p-4">
          <h1 className="text-xl font-semibold">{t.search.purpose}</h1>
          <p className="text-sm text-slate-600">{t.search.purposeFirst}</p>
          <select name="purpose" required className="w-full rounded-md border border-slate-300 px-2 py-2" aria-label={t.search.purpose}>
            <option value="">{t.search.choosePurpose}</option>
            {PURPOSE_CODES.map((c) => <option key={c} value={c}>{PURPOSES[c][lang]}</option>)}
          </select>
          <button className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white">{t.search.open}</button>
        </form>
      );
    }
    const record = /^[0-9a-f-]{36}$/i.test(id) ? await auditedRecord(getDb(), user, purpose, id, clientIp(await headers())) : null;
    if (!record) return <p role="alert">Không tìm thấy hồ sơ người bệnh.</p>;
    const { patient, encounters, merges, auditTrail } = record;
    const tp = t.patient;
    return (
      <div className="space-y-4">
        <Link href="/tra-cuu" className="text-sm text-brand-700 underline">← {t.search.title}</Link>
        <h1 className="text-2xl font-semibold">{patient.fullName}</h1>
        <p className="text-slate-700">{t.search.born}: {birthLabel(patient.birthDate)} · {patient.sex === 'F' ? 'Nữ' : patient.sex === 'M' ? 'Nam' : '—'} · {t.search.phone}: {patient.phone ?? '—'} · {patient.address ?? ''}</p>
        <p className="text-xs text-slate-500">ID: <span data-testid="patient-id">{patient.id}</span> · {t.search.purpose}: {PURPOSES[purpose][lang]}</p>
        {patient.mergedInto && (
          <p role="status" className="rounded bg-amber-50 p-3 text-amber-900">{tp.mergedInto} <Link className="underline" href={`/tra-cuu/${patient.mergedInto.id}?purpose=${purpose}`}>{patient.mergedInto.fullName}</Link>.</p>
        )}
        <Card title={tp.identifiers}>
          <table className="w-full text-sm"><tbody>
            {patient.identifiers.map((i) => (
              <tr key={i.id} className={`border-t border-slate-100 ${i.retiredAt ? 'text-slate-400' : ''}`}>
                <td className="py-1 pr-3">{SYSTEM_LABEL[i.system]}</td><td className="py-1 pr-3 font-mono">{i.value}</td>
                <td className="py-1 pr-3">từ {formatDate(i.createdAt)}</td><td className="py-1">{i.retiredAt ? `${tp.retired} ${formatDate(i.retiredAt)}` : ''}</td>
              </tr>
            ))}
          </tbody></table>
          {!patient.mergedIntoId && <div className="mt-3"><AddIdentifierForm t={tp} patientId={patient.id}
            active={patient.identifiers.filter((i) => !i.retiredAt).map((i) => ({ id: i.id, label: `${SYSTEM_LABEL[i.system]} ${i.value}` }))} /></div>}
        </Card>
        <Card title={tp.coverage}>
          {patient.coverages.length === 0 ? <p className="text-sm text-slate-500">—</p> : (
            <table className="w-full text-sm"><tbody>
              {patient.coverages.map((c) => (
                <tr key={c.id} className="border-t border-slate-100">
                  <td className="py-1 pr-3 font-mono">{c.cardCode ?? c.bhxhNumber}</td>
                  <td className="py-1 pr-3">{c.validFrom ? vnDate(c.validFrom) : ''} – {c.validTo ? vnDate(c.validTo) : ''}</td>
                  <td className="py-1 pr-3">{c.benefitLevel ? `Mức ${c.benefitLevel}` : ''} {c.registeredFacility ? `· KCB BĐ ${c.registeredFacility}` : ''}</td>
                  <td className="py-1">{VERIFY_LABEL[c.verification]}{c.verifiedAt ? ` ${formatDate(c.verifiedAt)} ${formatTime(c.verifiedAt)}` : ''}{c.gatewayResultCode ? ` (mã ${c.gatewayResultCode}${c.gatewayMessage ? `: ${c.gatewayMessage}` : ''})` : ''}</td>
                </tr>
              ))}
            </tbody></table>
          )}
        </Card>
        <Card title={tp.encounters}>
          {encounters.length === 0 ? <p className="text-sm text-slate-500">—</p> : (
            <table className="w-full text-sm"><tbody>
              {encounters.map((e) => (
                <tr key={e.id} className="border-t border-slate-100">
                  <td className="py-1 pr-3">{vnDate(isoDate(e.localDate))} {formatTime(e.checkedInAt)}</td><td className="py-1 pr-3">{e.number}</td>
                  <td className="py-1 pr-3">{e.room.name}</td><td className="py-1 pr-3">{e.status}</td><td className="py-1 pr-3">{e.payer === 'BHYT' ? 'BHYT' : 'Viện phí'}</td>
                  <td className="py-1">{e.handoff ? `${HANDOFF_LABEL[e.handoff.status]} (${e.handoff.event})` : 'Chưa gửi HIS'}</td>
                </tr>
              ))}
            </tbody></table>
          )}
        </Card>
        {!patient.mergedIntoId && (
          <Card title={tp.correct}><CorrectionForm t={tp} patientId={patient.id} current={{ fullName: patient.fullName, birthDate: patient.birthDate, phone: patient.phone }} /></Card>
        )}
        <Card title={tp.merges}>
          <ul className="mb-3 space-y-2 text-sm">
            {merges.map((m) => (
              <li key={m.id} className="rounded border border-slate-100 p-2">
                {m.survivorId === patient.id ? 'Đã gộp hồ sơ ' : 'Đã gộp vào hồ sơ '}
                <Link className="underline" href={`/tra-cuu/${m.survivorId === patient.id ? m.mergedId : m.survivorId}?purpose=${purpose}`}>{(m.survivorId === patient.id ? m.mergedId : m.survivorId).slice(0, 8)}</Link>
                {` · ${formatDate(m.mergedAt)} ${formatTime(m.mergedAt)} · ${m.mergedBy ?? ''} · ${m.reason}`}
                {m.unmergedAt ? ` · đã tách ${formatDate(m.unmergedAt)} (${m.unmergeReason ?? ''})` : m.survivorId === patient.id && <div className="mt-1"><UnmergeForm t={tp} mergeId={m.id} /></div>}
              </li>
            ))}
          </ul>
          {!patient.mergedIntoId && <MergePanel t={tp} patientId={patient.id} />}
        </Card>
        <Card title={tp.audit}>
          <table className="w-full text-sm"><tbody>
            {auditTrail.map((a) => (
              <tr key={a.id} className="border-t border-slate-100">
                <td className="py-1 pr-3">{formatDate(a.at)} {formatTime(a.at)}</td><td className="py-1 pr-3">{a.actorName}</td>
                <td className="py-1 pr-3">{a.action}</td><td className="py-1">{a.purpose && isPurpose(a.purpose) ? PURPOSES[a.purpose][lang] : a.purpose}</td>
              </tr>
            ))}
          </tbody></table>
        </Card>
      </div>
    );
  });
}
