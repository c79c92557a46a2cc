'use client';

import { useState } from 'react';
import { IDENTIFIER_LABELS, SEX_LABELS, displayBirthDate } from '@/lib/i18n/labels';
import { maskIdentifier } from '@/lib/identity/identifiers';
import type { NotFound } from './types';

export type NewPatientChoice =
  | { samePatientId: string }
  | { newPatient: { fullName: string; dateOfBirth: string; sex: 'M' | 'F'; address?: string } };

/**
 * Not found: the form is pre-filled from the scan. Likely duplicates come first, the existing record chosen by
 * default ("đây là cùng một người"), so a glance and Enter never creates a second record for the same person.
 */
export function NewPatientForm({ notFound, busy, onSubmit, onCancel }: {
  notFound: NotFound; busy: boolean; onSubmit: (choice: NewPatientChoice) => void; onCancel: () => void;
}) {
  const id = notFound.identity;
  const [choice, setChoice] = useState<string>(notFound.candidates[0]?.id ?? 'new');
  const [fullName, setFullName] = useState(id?.fullName ?? '');
  const [dateOfBirth, setDateOfBirth] = useState(id?.dateOfBirth ?? '');
  const [sex, setSex] = useState<'M' | 'F' | ''>(id?.sex ?? '');
  const [address, setAddress] = useState(id?.address ?? '');
  const [problem, setProblem] = useState<string | null>(null);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (choice !== 'new') return onSubmit({ samePatientId: choice });
    if (fullName.trim().length < 2) return setProblem('Cần nhập họ tên.');
    if (!/^\d{4}(-\d{2}-\d{2})?$/.test(dateOfBirth)) return setProblem('Ngày sinh cần có dạng năm-tháng-ngày (hoặc chỉ năm).');
    if (!sex) return setProblem('Cần chọn giới tính.');
    setProblem(null);
    onSubmit({ newPatient: { fullName: fullName.trim(), dateOfBirth, sex, ...(address.trim() ? { address: address.trim() } : {}) } });
  }

  return (
    <form onSubmit={submit} aria-label="Người bệnh mới" className="rounded-xl border border-slate-200 bg-white p-4">
      <p role="status" className="mb-3 font-semibold text-slate-800">{notFound.error.message}</p>
      {notFound.candidates.length > 0 && (
        <fieldset className="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-3">
          <legend className="px-1 text-sm font-semibold text-amber-900">Có thể đã có hồ sơ — đây có phải cùng một người?</legend>
          {notFound.candidates.map((c) => (
            <label key={c.id} className="flex items-start gap-2 py-1">
              <input type="radio" name="choice" value={c.id} checked={choice === c.id} onChange={() => setChoice(c.id)} className="mt-1" />
              <span>
                <span className="font-semibold">Đây là cùng một người: {c.fullName}</span> — {displayBirthDate(c.birthDate)}{c.sex ? `, ${SEX_LABELS[c.sex]}` : ''}
                {c.address ? <span className="block text-sm text-slate-600">{c.address}</span> : null}
                <span className="block text-xs text-slate-500">{c.identifiers.map((i) => `${IDENTIFIER_LABELS[i.system as keyof typeof IDENTIFIER_LABELS] ?? i.system} ${maskIdentifier(i.value)}`).join(' · ')}</span>
              </span>
            </label>
          ))}
          <label className="flex items-center gap-2 py-1">
            <input type="radio" name="choice" value="new" checked={choice === 'new'} onChange={() => setChoice('new')} />
            <span>Không, đây là người bệnh mới</span>
          </label>
        </fieldset>
      )}
      <fieldset disabled={choice !== 'new'} className="grid gap-3 disabled:opacity-50 md:grid-cols-2">
        <label className="block md:col-span-2"><span className="text-sm font-medium">Họ và tên</span>
          <input value={fullName} onChange={(e) => setFullName(e.target.value)} className="mt-1 w-full rounded-md border px-3 py-2" /></label>
        <label className="block"><span className="text-sm font-medium">Ngày sinh (năm-tháng-ngày)</span>
          <input value={dateOfBirth} onChange={(e) => setDateOfBirth(e.target.value)} placeholder="1958-03-12" className="mt-1 w-full rounded-md border px-3 py-2" /></label>
        <label className="block"><span className="text-sm font-medium">Giới tính</span>
          <select value={sex} onChange={(e) => setSex(e.target.value as 'M' | 'F' | '')} className="mt-1 w-full rounded-md border px-3 py-2">
            <option value="">—</option><option value="M">Nam</option><option value="F">Nữ</option>
          </select></label>
        <label className="block md:col-span-2"><span className="text-sm font-medium">Địa chỉ</span>
          <input value={address} onChange={(e) => setAddress(e.target.value)} className="mt-1 w-full rounded-md border px-3 py-2" /></label>
      </fieldset>
      {problem && <p role="alert" className="mt-2 text-sm text-red-700">{problem}</p>}
      <div className="mt-4 flex gap-2">
        <button type="submit" disabled={busy} autoFocus className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-60">
          {choice === 'new' ? 'Tạo hồ sơ và tiếp đón' : 'Dùng hồ sơ này và tiếp đón'} <kbd className="ml-1 rounded border border-white/50 px-1 text-xs">Enter</kbd>
        </button>
        <button type="button" onClick={onCancel} className="rounded-md border px-4 py-2">Hủy <kbd className="ml-1 rounded border px-1 text-xs">Esc</kbd></button>
      </div>
    </form>
  );
}
