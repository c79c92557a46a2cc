'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { PRIORITY_LABELS, type Priority } from '@/lib/encounters/priority';
import { CheckinResult } from './checkin-result';
import { NewPatientForm, type NewPatientChoice } from './new-patient-form';
import { TodayList } from './today-list';
import { ScanBox, type ScanBoxHandle } from '@/components/scan/scan-box';
import { CameraScanner } from '@/components/scan/camera-scanner';
import { SerialScanner } from '@/components/scan/serial-scanner';
import type { ScanText } from '@/components/scan/types';
import type { CheckinOk, NotFound } from './types';

type State =
  | { kind: 'idle' }
  | { kind: 'done'; result: CheckinOk }
  | { kind: 'not-found'; notFound: NotFound; raw: string }
  | { kind: 'error'; message: string };

/**
 * The receptionist's desk: one scan box always ready; scan or type → check-in → queue number, or a pre-filled
 * new-patient form. Keyboard: Enter submits, F2 prints the slip, Esc clears.
 */
export function DeskConsole({ title, rooms, initialRoom, priorities, scanText }: { title: string; rooms: { code: string; name: string }[]; initialRoom: string; priorities: string[]; scanText: ScanText }) {
  const [roomCode, setRoomCode] = useState(initialRoom);
  const [visitType, setVisitType] = useState<'OUTPATIENT' | 'EMERGENCY'>('OUTPATIENT');
  const [payer, setPayer] = useState<'' | 'BHYT' | 'SELF_PAY'>('');
  const [priority, setPriority] = useState('');
  const [vneid, setVneid] = useState(false);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [busy, setBusy] = useState(false);
  const [refreshKey, setRefreshKey] = useState(0);
  const scan = useRef<ScanBoxHandle>(null);
  const inFlight = useRef(false);

  const post = useCallback(async (body: Record<string, unknown>) => {
    if (inFlight.current) return; // one check-in at a time from this desk
    inFlight.current = true;
    setBusy(true);
    try {
      const response = await fetch('/api/v1/checkins', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          roomCode, visitType, ...(payer ? { payer } : {}), ...(priority ? { priority } : {}), ...(vneid ? { source: 'VNEID' } : {}), ...body,
        }),
      });
      const json = await response.json().catch(() => ({}));
      if (response.status === 200 || response.status === 201) {
        setState({ kind: 'done', result: json as CheckinOk });
        setRefreshKey((k) => k + 1);
      } else if (response.status === 404 && json.identity !== undefined) {
        setState({ kind: 'not-found', notFound: json as NotFound, raw: String(body.raw ?? '') });
      } else if (response.status === 401) {
        window.location.assign('/login?reason=idle');
      } else {
        setState({ kind: 'error', message: json?.error?.message ?? 'Không tiếp đón được. Vui lòng thử lại.' });
      }
    } catch {
      setState({ kind: 'error', message: 'Mất kết nối tới máy chủ. Kiểm tra mạng và quét lại.' });
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }, [roomCode, visitType, payer, priority, vneid]);

  const onPayload = useCallback((raw: string) => void post({ raw }), [post]);

  const print = useCallback(() => {
    if (state.kind !== 'done') return;
    const frame = document.createElement('iframe');
    frame.style.position = 'fixed';
    frame.style.width = '0';
    frame.style.height = '0';
    frame.style.border = '0';
    frame.src = `/tiep-don/phieu/${state.result.encounter.id}`;
    frame.onload = () => {
      frame.contentWindow?.print();
      setTimeout(() => frame.remove(), 60_000);
    };
    document.body.appendChild(frame);
  }, [state]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'F2') { event.preventDefault(); print(); }
      if (event.key === 'Escape') { setState({ kind: 'idle' }); scan.current?.focus(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [print]);

  useEffect(() => {
    if (state.kind !== 'not-found') scan.current?.focus();
  }, [state]);

  const submitNew = (choice: NewPatientChoice) => {
    if (state.kind !== 'not-found') return;
    void post({ raw: state.raw, ...choice });
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-3">
        <h1 className="w-full text-lg font-semibold text-brand-800">{title}</h1>
        <label className="block"><span className="text-xs font-medium text-slate-600">Phòng khám</span>
          <select value={roomCode} onChange={(e) => setRoomCode(e.target.value)} className="mt-1 block rounded-md border px-2 py-1.5">
            {rooms.map((r) => <option key={r.code} value={r.code}>{r.code} — {r.name}</option>)}
          </select></label>
        <label className="block"><span className="text-xs font-medium text-slate-600">Loại khám</span>
          <select value={visitType} onChange={(e) => setVisitType(e.target.value as 'OUTPATIENT' | 'EMERGENCY')} className="mt-1 block rounded-md border px-2 py-1.5">
            <option value="OUTPATIENT">Khám bệnh</option><option value="EMERGENCY">Cấp cứu</option>
          </select></label>
        <label className="block"><span className="text-xs font-medium text-slate-600">Đối tượng</span>
          <select value={payer} onChange={(e) => setPayer(e.target.value as '' | 'BHYT' | 'SELF_PAY')} className="mt-1 block rounded-md border px-2 py-1.5">
            <option value="">Tự động (theo thẻ)</option><option value="BHYT">BHYT</option><option value="SELF_PAY">Viện phí</option>
          </select></label>
        <label className="block"><span className="text-xs font-medium text-slate-600">Ưu tiên</span>
          <select value={priority} onChange={(e) => setPriority(e.target.value)} className="mt-1 block rounded-md border px-2 py-1.5">
            <option value="">Tự động (tuổi, thẻ BHYT)</option>
            {priorities.filter((p) => p !== 'NORMAL').map((p) => <option key={p} value={p}>{PRIORITY_LABELS[p as Priority]}</option>)}
          </select></label>
        <label className="flex items-center gap-2 pb-2 text-sm"><input type="checkbox" checked={vneid} onChange={(e) => setVneid(e.target.checked)} /> Mã QR trên ứng dụng VNeID</label>
        <a href="/tiep-don/bhyt-cho-xac-minh" className="ml-auto pb-2 text-sm text-brand-700 underline">BHYT chưa xác minh</a>
        <a href="/tiep-don/kiem-tra-may-quet" className="pb-2 text-sm text-brand-700 underline">Kiểm tra máy quét</a>
      </div>

      <div aria-busy={busy} className="space-y-2">
        <ScanBox ref={scan} onPayload={onPayload} text={scanText} />
        {/* Kept mounted when folded, so a connected COM scanner keeps delivering. */}
        <details className="rounded-lg border border-slate-200 bg-white px-3 py-2">
          <summary className="cursor-pointer text-sm font-medium text-slate-700">Quét bằng camera hoặc máy quét cổng COM</summary>
          <div className="mt-2 flex flex-wrap items-start gap-3">
            <CameraScanner onPayload={onPayload} text={scanText} closeAfterRead />
            <SerialScanner onPayload={onPayload} text={scanText} />
          </div>
        </details>
      </div>

      {state.kind === 'error' && <p role="alert" data-testid="desk-error" className="rounded-lg border border-red-300 bg-red-50 p-3 font-medium text-red-800">{state.message}</p>}
      {state.kind === 'done' && (
        <CheckinResult result={state.result} onPrint={print}
          onUpdated={(patient) => setState({ kind: 'done', result: { ...state.result, patient } })} />
      )}
      {state.kind === 'not-found' && (
        <NewPatientForm key={state.raw} notFound={state.notFound} busy={busy} onSubmit={submitNew} onCancel={() => setState({ kind: 'idle' })} />
      )}
      {roomCode && <TodayList roomCode={roomCode} refreshKey={refreshKey} />}
    </div>
  );
}
