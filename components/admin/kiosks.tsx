'use client';

import { useCallback, useEffect, useState } from 'react';
import { fill, type Messages } from '@/lib/i18n/messages';
import { formatDateTime } from '@/lib/time/local-day';
import type { KiosksResponse } from '@/lib/kiosk/devices';
import { errorText } from '@/components/api-fetch';
import { useT } from '@/components/i18n';
import { listKiosks, newPairingCode, registerKiosk, setKioskDisabled } from './admin.resource';

type Kiosk = KiosksResponse['kiosks'][number];
type Status = { kind: 'ok' | 'error'; text: string; code?: string } | null;

const when = (iso: string) => formatDateTime(new Date(iso));

/**
 * The facility's self check-in kiosks on the admin page: register one (its one-time pairing code is shown once),
 * make a new code for a replaced PC, disable or enable. Everything goes through /api/v1/kiosks (audited there).
 */
export function KiosksPanel({ t }: { t: Messages['kioskAdmin'] }) {
  const payer = useT().codes.payer; // one name per payer across the product
  const [data, setData] = useState<KiosksResponse | null>(null);
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [rooms, setRooms] = useState<string[]>([]);
  const [offersBhyt, setOffersBhyt] = useState(true);
  const [offersSelfPay, setOffersSelfPay] = useState(true);
  const [staffId, setStaffId] = useState('');

  const load = useCallback(async () => {
    try {
      setData(await listKiosks());
    } catch (e) {
      setStatus({ kind: 'error', text: errorText(e, t.failed) });
    }
  }, [t.failed]);
  // eslint-disable-next-line react-hooks/set-state-in-effect -- load() sets state only once its fetch answers
  useEffect(() => void load(), [load]);

  const act = async (kiosk: Kiosk, action: 'code' | 'disable' | 'enable') => {
    if (
      action !== 'enable' &&
      !window.confirm(fill(action === 'code' ? t.confirmCode : t.confirmDisable, { name: kiosk.name }))
    )
      return;
    setBusy(kiosk.id);
    setStatus(null);
    try {
      if (action === 'code') {
        const { pairingCode } = await newPairingCode(kiosk.id);
        setStatus({ kind: 'ok', text: fill(t.code, { name: kiosk.name }), code: pairingCode });
      } else {
        await setKioskDisabled(kiosk.id, action === 'disable');
      }
    } catch (e) {
      setStatus({ kind: 'error', text: errorText(e, t.failed) });
    }
    setBusy(null);
    await load();
  };

  const register = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy('register');
    setStatus(null);
    const registered = await registerKiosk({
      name,
      roomCodes: rooms,
      offersBhyt,
      offersSelfPay,
      bhytStaffId: offersBhyt && staffId ? staffId : null,
    }).catch((e: unknown) => e as Error);
    setBusy(null);
    if (registered instanceof Error) return setStatus({ kind: 'error', text: errorText(registered, t.failed) });
    setStatus({ kind: 'ok', text: fill(t.code, { name }), code: registered.pairingCode });
    setName('');
    setRooms([]);
    await load();
  };

  return (
    <section aria-label={t.title} className="space-y-3">
      <h2 className="text-lg font-semibold">{t.title}</h2>
      <p className="text-sm text-slate-700">{t.intro}</p>
      {status && (
        <div
          role={status.kind === 'error' ? 'alert' : 'status'}
          className={`rounded-lg border p-3 ${status.kind === 'error' ? 'border-red-300 bg-red-50 text-red-800' : 'border-brand-600 bg-brand-50'}`}
        >
          <div>{status.text}</div>
          {status.code && (
            <div className="mt-1 select-all font-mono text-3xl font-bold tracking-widest" data-testid="pairing-code">
              {status.code}
            </div>
          )}
        </div>
      )}
      <table className="w-full rounded-lg bg-white text-left text-sm shadow-sm">
        <thead className="bg-slate-100">
          <tr>
            <th className="p-2">{t.colName}</th>
            <th className="p-2">{t.colRooms}</th>
            <th className="p-2">{t.colPayers}</th>
            <th className="p-2">{t.colPaired}</th>
            <th className="p-2">{t.colSeen}</th>
            <th className="p-2">{t.colState}</th>
            <th className="p-2">{t.colActions}</th>
          </tr>
        </thead>
        <tbody>
          {data?.kiosks.length === 0 && (
            <tr>
              <td colSpan={7} className="p-2 text-slate-600">
                {t.empty}
              </td>
            </tr>
          )}
          {data?.kiosks.map((k) => (
            <tr key={k.id} className="border-t" data-testid="kiosk-row">
              <td className="p-2 font-medium">{k.name}</td>
              <td className="p-2 font-mono">{k.roomCodes.join(', ')}</td>
              <td className="p-2">
                {[k.offersBhyt && payer.BHYT, k.offersSelfPay && payer.SELF_PAY].filter(Boolean).join(', ')}
              </td>
              <td className="p-2">
                {k.paired ? t.paired : t.notPaired}
                {k.pairingPending ? ` · ${t.pending}` : ''}
              </td>
              <td className="p-2">{k.lastSeenAt ? when(k.lastSeenAt) : t.never}</td>
              <td className="p-2">
                {k.disabledAt ? <span className="font-semibold text-red-800">{t.disabled}</span> : t.enabled}
              </td>
              <td className="flex gap-2 p-2">
                <button
                  type="button"
                  disabled={busy !== null}
                  onClick={() => void act(k, 'code')}
                  className="rounded-md border border-slate-300 px-2 py-1"
                >
                  {t.newCode}
                </button>
                <button
                  type="button"
                  disabled={busy !== null}
                  onClick={() => void act(k, k.disabledAt ? 'enable' : 'disable')}
                  className="rounded-md border border-slate-300 px-2 py-1"
                >
                  {k.disabledAt ? t.enable : t.disable}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        onSubmit={register}
        aria-label={t.register}
        className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
      >
        <h3 className="font-semibold">{t.register}</h3>
        <label className="block text-sm">
          {t.name}
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            minLength={2}
            maxLength={60}
            autoComplete="off"
            className="mt-1 block w-80 rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
        <fieldset className="text-sm">
          <legend>{t.rooms}</legend>
          <div className="mt-1 flex flex-wrap gap-3">
            {data?.rooms.map((r) => (
              <label key={r.code} className="flex items-center gap-1">
                <input
                  type="checkbox"
                  checked={rooms.includes(r.code)}
                  onChange={(e) =>
                    setRooms((now) => (e.target.checked ? [...now, r.code] : now.filter((c) => c !== r.code)))
                  }
                />
                <span className="font-mono">{r.code}</span> <span lang="vi">{r.name}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={offersBhyt} onChange={(e) => setOffersBhyt(e.target.checked)} />
          {t.bhyt}
        </label>
        {offersBhyt && (
          <label className="block text-sm">
            {t.staff}
            <select
              value={staffId}
              onChange={(e) => setStaffId(e.target.value)}
              className="mt-1 block w-80 rounded-md border border-slate-300 px-2 py-1"
            >
              <option value="">{t.chooseStaff}</option>
              {data?.staff.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.fullName} ({s.username})
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={offersSelfPay} onChange={(e) => setOffersSelfPay(e.target.checked)} />
          {t.selfPay}
        </label>
        <button
          disabled={busy !== null}
          className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white disabled:opacity-60"
        >
          {busy === 'register' ? t.registering : t.register}
        </button>
      </form>
    </section>
  );
}
