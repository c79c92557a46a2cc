'use client';

import { useState } from 'react';
import { BHYT_VERIFICATION_LABELS, METHOD_LABELS, PAYER_LABELS, SEX_LABELS, displayBirthDate } from '@/lib/i18n/labels';
import { PRIORITY_LABELS, type Priority } from '@/lib/encounters/priority';
import { HandoffStatus } from '@/components/handoff/handoff-status';
import type { CheckinOk } from './types';

type Field = 'fullName' | 'dateOfBirth' | 'sex' | 'address';
const FIELD_LABELS: Record<Field, string> = { fullName: 'Họ tên', dateOfBirth: 'Ngày sinh', sex: 'Giới tính', address: 'Địa chỉ' };

/** The queue number, and the card's values beside the stored ones with differences highlighted. */
export function CheckinResult({ result, onPrint, onUpdated }: { result: CheckinOk; onPrint: () => void; onUpdated: (patient: CheckinOk['patient']) => void }) {
  const { encounter, patient, identity } = result;
  const [busy, setBusy] = useState<Field | null>(null);
  const [error, setError] = useState<string | null>(null);
  const stored: Record<Field, string> = { fullName: patient.fullName, dateOfBirth: patient.birthDate, sex: patient.sex ?? '', address: patient.address ?? '' };
  const scanned: Partial<Record<Field, string>> = { fullName: identity?.fullName, dateOfBirth: identity?.dateOfBirth, sex: identity?.sex, address: identity?.address };
  const show = (f: Field, v: string | undefined) => (f === 'dateOfBirth' ? displayBirthDate(v) : f === 'sex' ? (v ? SEX_LABELS[v as 'M' | 'F'] : '') : v ?? '');

  async function updateFromCard(field: Field) {
    setBusy(field);
    setError(null);
    const response = await fetch(`/api/v1/patients/${patient.id}/demographics`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ change: { [field]: scanned[field] }, reason: 'Cập nhật từ thẻ tại quầy tiếp đón' }),
    });
    setBusy(null);
    if (!response.ok) { setError((await response.json()).error?.message ?? 'Không cập nhật được.'); return; }
    onUpdated({ ...patient, ...(await response.json()).patient });
  }

  return (
    <section aria-label="Kết quả tiếp đón" className="grid gap-4 md:grid-cols-[220px_1fr]">
      <div className={`rounded-xl p-4 text-center text-white ${result.created ? 'bg-brand-700' : 'bg-amber-600'}`}>
        <div className="text-sm uppercase tracking-wide">{result.created ? 'Số thứ tự' : 'Đã tiếp đón'}</div>
        <div data-testid="queue-number" className="text-7xl font-bold leading-tight">{encounter.queueNumber}</div>
        <div className="font-semibold">{encounter.roomName}</div>
        <div className="mt-1 text-xs opacity-90">{encounter.number}</div>
        <button type="button" onClick={onPrint} className="mt-3 w-full rounded-md bg-white/95 px-3 py-2 font-semibold text-slate-900 hover:bg-white">
          In phiếu <kbd className="ml-1 rounded border px-1 text-xs">F2</kbd>
        </button>
      </div>
      <div className="rounded-xl border border-slate-200 bg-white p-4">
        <p role="status" data-testid="checkin-message" className={`mb-3 font-semibold ${result.created ? 'text-brand-800' : 'text-amber-800'}`}>{result.message}</p>
        <div className="mb-3 flex flex-wrap gap-2 text-xs">
          <span className="rounded bg-slate-100 px-2 py-1">{METHOD_LABELS[encounter.identificationMethod as keyof typeof METHOD_LABELS]}</span>
          <span className="rounded bg-slate-100 px-2 py-1">{PAYER_LABELS[encounter.payer as keyof typeof PAYER_LABELS]}</span>
          {encounter.bhytVerification && (
            <span className={`rounded px-2 py-1 ${encounter.bhytVerification === 'VERIFIED' ? 'bg-green-100 text-green-900' : 'bg-amber-100 text-amber-900'}`}>
              {BHYT_VERIFICATION_LABELS[encounter.bhytVerification as keyof typeof BHYT_VERIFICATION_LABELS]}
            </span>
          )}
          {encounter.priority && encounter.priority !== 'NORMAL' && (
            <span className="rounded bg-rose-100 px-2 py-1 text-rose-900">Ưu tiên: {PRIORITY_LABELS[encounter.priority as Priority]}</span>
          )}
        </div>
        <div className="mb-3"><HandoffStatus encounterId={encounter.id} canRetry /></div>
        <table className="w-full text-sm">
          <thead><tr className="text-left text-slate-500"><th className="py-1 pr-2 font-medium"></th><th className="py-1 pr-2 font-medium">Hồ sơ</th><th className="py-1 pr-2 font-medium">Trên thẻ</th><th></th></tr></thead>
          <tbody>
            {(Object.keys(FIELD_LABELS) as Field[]).map((f) => {
              const differs = scanned[f] !== undefined && scanned[f] !== '' && scanned[f] !== stored[f];
              return (
                <tr key={f} className={`border-t ${differs ? 'bg-amber-50' : ''}`} data-differs={differs || undefined}>
                  <th scope="row" className="whitespace-nowrap py-1.5 pr-2 text-left font-medium text-slate-600">{FIELD_LABELS[f]}</th>
                  <td className="py-1.5 pr-2">{show(f, stored[f])}</td>
                  <td className={`py-1.5 pr-2 ${differs ? 'font-semibold text-amber-900' : 'text-slate-500'}`}>{scanned[f] !== undefined ? show(f, scanned[f]) : '—'}</td>
                  <td className="py-1.5 text-right">
                    {differs && (
                      <button type="button" disabled={busy !== null} onClick={() => void updateFromCard(f)}
                        className="whitespace-nowrap rounded border border-amber-600 px-2 py-0.5 text-xs text-amber-900 hover:bg-amber-100">
                        {busy === f ? 'Đang cập nhật…' : 'Cập nhật từ thẻ'}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {result.warnings.length > 0 && (
          <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-amber-800">{result.warnings.map((w) => <li key={w.code}>{w.message}</li>)}</ul>
        )}
        {error && <p role="alert" className="mt-2 text-sm text-red-700">{error}</p>}
      </div>
    </section>
  );
}
