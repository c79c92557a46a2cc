'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { Messages } from '@/lib/i18n/messages';
import type { SearchRow } from '@/lib/patients/search';
import { DateInput } from '@/components/date-input';

type T = Messages['patient'];
const input = 'mt-1 w-full rounded-md border border-slate-300 px-3 py-2';
const button = 'rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-60';

async function send(url: string, method: string, body: unknown): Promise<{ ok: boolean; json: { error?: { message: string } } & Record<string, unknown> }> {
  const response = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { ok: response.ok, json: await response.json() };
}

function useAction() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function run(url: string, method: string, body: unknown, after?: (json: Record<string, unknown>) => void) {
    setBusy(true);
    setError(null);
    const { ok, json } = await send(url, method, body);
    setBusy(false);
    if (!ok) return setError(json.error?.message ?? 'Lỗi');
    after?.(json);
    router.refresh();
  }
  const alert = error ? <p role="alert" className="mt-2 rounded bg-red-50 p-2 text-sm text-red-800">{error}</p> : null;
  return { run, busy, alert };
}

export function CorrectionForm({ t, patientId, current }: { t: T; patientId: string; current: { fullName: string; birthDate: string; phone: string | null } }) {
  const { run, busy, alert } = useAction();
  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const body: Record<string, string | null> = { reason: String(f.get('reason')) };
    if (f.get('fullName') !== current.fullName) body.fullName = String(f.get('fullName'));
    if (f.get('birthDate') !== current.birthDate) body.birthDate = String(f.get('birthDate'));
    if ((f.get('phone') || null) !== current.phone) body.phone = String(f.get('phone') || '') || null;
    void run(`/api/v1/patients/${patientId}`, 'PATCH', body);
  }
  return (
    <form onSubmit={onSubmit} aria-label={t.correct} className="grid gap-2 md:grid-cols-4">
      <label>Họ tên<input name="fullName" defaultValue={current.fullName} className={input} /></label>
      <label>Ngày sinh (dd/MM/yyyy)<DateInput name="birthDate" allowYearOnly required defaultValue={current.birthDate} className={input} /></label>
      <label>Điện thoại<input name="phone" defaultValue={current.phone ?? ''} className={input} /></label>
      <label>{t.reason}<input name="reason" required minLength={3} className={input} /></label>
      <div><button disabled={busy} className={button}>{t.save}</button>{alert}</div>
    </form>
  );
}

export function AddIdentifierForm({ t, patientId, active }: { t: T; patientId: string; active: { id: string; label: string }[] }) {
  const { run, busy, alert } = useAction();
  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const replacesId = String(f.get('replacesId') || '');
    void run(`/api/v1/patients/${patientId}/identifiers`, 'POST', {
      system: f.get('system'), value: f.get('value'), reason: f.get('reason'), ...(replacesId ? { replacesId } : {}),
    });
  }
  return (
    <form onSubmit={onSubmit} aria-label={t.addIdentifier} className="grid gap-2 md:grid-cols-4">
      <label>Loại<select name="system" className={input}>
        <option value="PERSONAL_ID">Số định danh / CCCD</option><option value="CMND">CMND</option>
        <option value="BHYT_CARD">Thẻ BHYT</option><option value="BHXH_NUMBER">Mã BHXH</option><option value="HOSPITAL_CODE">Mã BN</option>
      </select></label>
      <label>Số<input name="value" required className={input} /></label>
      <label>{t.replaces}<select name="replacesId" className={input}><option value="">—</option>
        {active.map((a) => <option key={a.id} value={a.id}>{a.label}</option>)}</select></label>
      <label>{t.reason}<input name="reason" required minLength={3} className={input} /></label>
      <div><button disabled={busy} className={button}>{t.addIdentifier}</button>{alert}</div>
    </form>
  );
}

/** Finds the duplicate (by identifier or name, under purpose "sửa hồ sơ") and merges it into this record. */
export function MergePanel({ t, patientId }: { t: T; patientId: string }) {
  const { run, busy, alert } = useAction();
  const [candidates, setCandidates] = useState<SearchRow[] | null>(null);
  const [findError, setFindError] = useState<string | null>(null);
  async function find(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const q = String(new FormData(event.currentTarget).get('q'));
    const response = await fetch(`/api/v1/patients?${new URLSearchParams({ q, purpose: 'FIX_RECORD' })}`);
    const json = await response.json();
    if (!response.ok) return setFindError(json.error?.message ?? 'Lỗi');
    setFindError(null);
    setCandidates((json.rows as SearchRow[]).filter((r) => r.id !== patientId && !r.mergedIntoId));
  }
  function merge(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    void run('/api/v1/patients/merge', 'POST', { survivorId: patientId, mergedId: f.get('mergedId'), reason: f.get('reason') }, () => setCandidates(null));
  }
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-600">{t.mergeHint}</p>
      <form onSubmit={find} className="flex gap-2"><label className="flex-1"><span className="sr-only">{t.find}</span><input name="q" required minLength={2} className={input} aria-label={t.find} /></label>
        <button className={button}>{t.find}</button></form>
      {findError && <p role="alert" className="text-sm text-red-700">{findError}</p>}
      {candidates && (candidates.length === 0 ? <p role="status">Không tìm thấy hồ sơ trùng.</p> : (
        <form onSubmit={merge} aria-label={t.merge} className="space-y-2">
          {candidates.map((c, i) => (
            <label key={c.id} className="block"><input type="radio" name="mergedId" value={c.id} defaultChecked={i === 0} className="mr-2" />
              {c.fullName} · {c.birthDate} · {c.identifiers.map((x) => x.value).join(', ')}</label>
          ))}
          <label className="block">{t.reason}<input name="reason" required minLength={3} className={input} /></label>
          <button disabled={busy} className={button}>{t.merge}</button>
        </form>
      ))}
      {alert}
    </div>
  );
}

export function UnmergeForm({ t, mergeId }: { t: T; mergeId: string }) {
  const { run, busy, alert } = useAction();
  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(`/api/v1/patients/merges/${mergeId}/unmerge`, 'POST', { reason: new FormData(event.currentTarget).get('reason') });
  }
  return (
    <form onSubmit={onSubmit} aria-label={t.unmerge} className="flex items-end gap-2">
      <label>{t.reason}<input name="reason" required minLength={3} className={input} /></label>
      <button disabled={busy} className="rounded-md border border-red-300 px-3 py-2 text-red-800 hover:bg-red-50">{t.unmerge}</button>
      {alert}
    </form>
  );
}
