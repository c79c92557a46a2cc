'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { useLatest } from '@/components/use-latest';
import { fill, type Messages } from '@/lib/i18n/messages';
import type { CounterReason, Payer } from '@/lib/codes';
import type { KioskSetup } from '@/lib/kiosk/devices';
import type { KioskCheckinResponse, KioskRoomsResponse, Ticket } from '@/lib/kiosk/flow';
import { ApiError } from '@/components/api-fetch';
import { endKioskVisit, kioskCheckIn, kioskReprint, kioskRooms, kioskScan } from './kiosk.resource';
import { printPage } from '@/components/print/print-frame';
import { ScanBox } from '@/components/scan/scan-box';
import { CameraScanner } from '@/components/scan/camera-scanner';

export type KioskText = Record<'vi' | 'en', { kiosk: Messages['kiosk']; scan: Messages['scan'] }>;

/** Back to the start after this long without a touch or a key (a person who walked away). */
export const KIOSK_IDLE_MS = 20_000;
/** The ticket's "where to go" stays this long, then the next person's start screen. */
const TICKET_MS = 12_000;

type Room = KioskRoomsResponse['rooms'][number];
type Visit = { visitId: string; raw: string; source?: 'VNEID' };
type Screen =
  | { k: 'idle' }
  | { k: 'vneid' }
  | { k: 'busy'; bhyt?: boolean }
  | { k: 'confirm'; visit: Visit; name: string; birthYear: number; checkedInToday: boolean }
  | { k: 'rooms'; visit: Visit; rooms: Room[] }
  | { k: 'payer'; visit: Visit; roomCode: string; note?: string }
  | {
      k: 'bhyt';
      visit: Visit;
      roomCode: string;
      status: 'REJECTED' | 'UNAVAILABLE';
      resultCode: string | null;
      canSelfPay: boolean;
    }
  | { k: 'ticket'; ticket: Ticket; printed: boolean | null }
  | { k: 'counter'; reason: CounterReason | 'ERROR' }
  | { k: 'emergency' };

/**
 * The kiosk. Every person's visit lives in one `Session`, mounted afresh (new `key`) when the screen goes back
 * to the start: their name, choices, language and any half-typed keys go with it. There is no history entry
 * to go back to, and the page itself is never cached (Cache-Control: no-store on every page).
 */
export function KioskScreen({ setup, text }: { setup: KioskSetup; text: KioskText }) {
  // A scan while the previous person's screen still shows starts the next person's session with it.
  const [session, setSession] = useState<{ n: number; first?: string }>({ n: 0 });
  const onDone = useCallback((first?: string) => setSession((s) => ({ n: s.n + 1, first })), []);
  return <Session key={session.n} first={session.first} setup={setup} text={text} onDone={onDone} />;
}

function Session({
  setup,
  text,
  first,
  onDone,
}: {
  setup: KioskSetup;
  text: KioskText;
  first?: string;
  onDone: (first?: string) => void;
}) {
  const [lang, setLang] = useState<'vi' | 'en'>('vi');
  const [screen, setScreen] = useState<Screen>({ k: 'idle' });
  const t = text[lang].kiosk;
  /** A visit whose outcome the server has not recorded yet (ended as ABANDONED if the person walks away). */
  const openVisit = useRef<string | null>(null);
  const screenRef = useLatest(screen);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const finish = useCallback(
    (next?: string) => {
      const visitId = openVisit.current;
      openVisit.current = null;
      if (visitId) void endKioskVisit(visitId, { outcome: 'ABANDONED' }).catch(() => {});
      onDone(next);
    },
    [onDone],
  );

  const toCounter = useCallback((reason: CounterReason) => {
    openVisit.current = null;
    setScreen({ k: 'counter', reason });
  }, []);

  const failed = useCallback(() => {
    // The server could not be asked or failed: the visit stays open and is ended as abandoned with the session.
    setScreen({ k: 'counter', reason: 'ERROR' });
  }, []);

  /** A check-in, reprint or counter answer of the kiosk API. */
  const handle = useCallback(
    async (answer: Promise<KioskCheckinResponse>, visit: Visit, roomCode?: string) => {
      let b: KioskCheckinResponse;
      try {
        b = await answer;
      } catch (e) {
        if (e instanceof ApiError && e.code === 'NOT_BHYT_CARD' && roomCode)
          return setScreen({ k: 'payer', visit, roomCode, note: t.notBhytCard });
        return failed();
      }
      if ('ticket' in b) {
        openVisit.current = null;
        const ticket = b.ticket;
        setScreen({ k: 'ticket', ticket, printed: null });
        void printPage(`/kiosk/phieu/${ticket.encounterId}`).then((printed) =>
          setScreen((s) => (s.k === 'ticket' && s.ticket.encounterId === ticket.encounterId ? { ...s, printed } : s)),
        );
        return;
      }
      if ('counter' in b) return toCounter(b.counter);
      if ('bhyt' in b && roomCode) return setScreen({ k: 'bhyt', visit, roomCode, ...b.bhyt });
      failed();
    },
    [failed, t.notBhytCard, toCounter],
  );

  const run = useCallback(
    async (busy: Screen & { k: 'busy' }, work: () => Promise<void>) => {
      setScreen(busy);
      try {
        await work();
      } catch {
        failed();
      }
    },
    [failed],
  );

  const checkIn = useCallback(
    (visit: Visit, roomCode: string, payer: Payer, cardRaw?: string) =>
      run({ k: 'busy', bhyt: payer === 'BHYT' }, async () => {
        await handle(
          kioskCheckIn({ visitId: visit.visitId, raw: visit.raw, source: visit.source, roomCode, payer, cardRaw }),
          visit,
          roomCode,
        );
      }),
    [handle, run],
  );

  const endVisit = useCallback(
    (visit: Visit, outcome: 'COUNTER' | 'EMERGENCY', reason?: CounterReason) =>
      run({ k: 'busy' }, async () => {
        // Only no answer at all stops here: a refusal still sends the person on.
        await endKioskVisit(visit.visitId, { outcome, reason }).catch((e: unknown) => {
          if (!(e instanceof ApiError) || e.status === 0) throw e;
        });
        openVisit.current = null;
        if (outcome === 'EMERGENCY') setScreen({ k: 'emergency' });
        else toCounter(reason ?? 'NOT_ME');
      }),
    [run, toCounter],
  );

  const scan = useCallback(
    (raw: string, source?: 'VNEID') =>
      run({ k: 'busy' }, async () => {
        const b = await kioskScan({ raw, source });
        const visit: Visit = { visitId: b.visitId, raw, source };
        if ('counter' in b) return toCounter(b.counter);
        openVisit.current = visit.visitId;
        setScreen({
          k: 'confirm',
          visit,
          name: b.person.name,
          birthYear: b.person.birthYear,
          checkedInToday: b.checkedInToday === true,
        });
      }),
    [run, toCounter],
  );

  const confirmed = useCallback(
    (s: Screen & { k: 'confirm' }) =>
      run({ k: 'busy' }, async () => {
        if (s.checkedInToday) {
          await handle(kioskReprint({ visitId: s.visit.visitId, raw: s.visit.raw, source: s.visit.source }), s.visit);
          return;
        }
        const { rooms } = await kioskRooms();
        setScreen({ k: 'rooms', visit: s.visit, rooms });
      }),
    [handle, run],
  );

  const roomChosen = useCallback(
    (visit: Visit, roomCode: string) => {
      if (setup.offersBhyt && setup.offersSelfPay) return setScreen({ k: 'payer', visit, roomCode });
      void checkIn(visit, roomCode, setup.offersBhyt ? 'BHYT' : 'SELF_PAY');
    },
    [checkIn, setup.offersBhyt, setup.offersSelfPay],
  );

  // Scanner and camera: at the start a new person; on the insurance question their BHYT card; on any other
  // screen the next person (the previous one walked away: a fresh session, their visit ends as abandoned).
  const onPayload = useCallback(
    (raw: string) => {
      const s = screenRef.current;
      if (s.k === 'busy') return;
      if (s.k === 'payer') return void checkIn(s.visit, s.roomCode, 'BHYT', raw);
      if (s.k === 'idle' || s.k === 'vneid') return void scan(raw, s.k === 'vneid' ? 'VNEID' : undefined);
      finish(raw);
    },
    [checkIn, finish, scan, screenRef],
  );

  const started = useRef(false);
  useEffect(() => {
    if (first === undefined || started.current) return;
    started.current = true;
    void scan(first);
  }, [first, scan]);

  // Inactivity: back to the start (the ticket's screen after a fixed while; nothing waits on a request).
  // The ticket's while runs from the ticket: its print's answer updates the screen but must not restart it.
  const kind = screen.k;
  const timerKey = screen.k === 'ticket' ? screen.ticket : screen;
  useEffect(() => {
    if (kind === 'idle' || kind === 'busy') return;
    const ms = kind === 'ticket' ? TICKET_MS : KIOSK_IDLE_MS;
    let timer = setTimeout(() => finish(), ms);
    const activity = () => {
      if (kind === 'ticket') return;
      clearTimeout(timer);
      timer = setTimeout(() => finish(), ms);
    };
    window.addEventListener('pointerdown', activity, true);
    window.addEventListener('keydown', activity, true);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('pointerdown', activity, true);
      window.removeEventListener('keydown', activity, true);
    };
  }, [kind, timerKey, finish]);

  const seconds = (screen.k === 'ticket' ? TICKET_MS : KIOSK_IDLE_MS) / 1000;
  return (
    <main
      lang={lang}
      data-screen={screen.k}
      className="flex h-dvh w-dvw select-none flex-col overflow-hidden bg-white text-slate-950"
    >
      <header className="flex items-center justify-between gap-6 border-b-4 border-brand-800 bg-brand-800 px-10 py-5 text-white">
        {/* Names as the administrator typed them (Vietnamese), whatever the screen's language. */}
        <div className="min-w-0" lang="vi">
          <div className="truncate text-3xl font-bold">{setup.facilityName}</div>
          <div className="text-xl text-brand-100">{setup.name}</div>
        </div>
        <button
          type="button"
          onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}
          // The button names the other language in that language ("English" / "Tiếng Việt").
          lang={lang === 'vi' ? 'en' : 'vi'}
          className="min-h-16 shrink-0 rounded-2xl border-4 border-white px-8 text-2xl font-bold"
        >
          {t.language}
        </button>
      </header>
      <section
        className="flex min-h-0 flex-1 flex-col items-center justify-center gap-10 px-12 py-10 text-center"
        aria-live="polite"
      >
        <Body
          screen={screen}
          t={t}
          text={text[lang]}
          setup={setup}
          onVneid={() => setScreen({ k: 'vneid' })}
          onBack={() => finish()}
          onPayload={onPayload}
          onYes={confirmed}
          onNo={(v) => endVisit(v, 'COUNTER', 'NOT_ME')}
          onRoom={roomChosen}
          onEmergency={(v) => endVisit(v, 'EMERGENCY')}
          onPayer={checkIn}
          onBhytCounter={(v, status) =>
            endVisit(v, 'COUNTER', status === 'REJECTED' ? 'BHYT_REJECTED' : 'BHYT_UNAVAILABLE')
          }
        />
      </section>
      {screen.k !== 'idle' && screen.k !== 'busy' && (
        <footer className="px-10 pb-6 text-center text-xl text-slate-700">{fill(t.timeoutHint, { s: seconds })}</footer>
      )}
      <ScanBox hidden autoFocus={false} refocusAfterSubmit={false} text={text[lang].scan} onPayload={onPayload} />
    </main>
  );
}

const big = 'min-h-24 rounded-3xl px-10 text-4xl font-bold shadow-md active:translate-y-0.5';
const primary = `${big} bg-brand-800 text-white`;
const secondary = `${big} border-4 border-slate-800 bg-white text-slate-950`;
/** Two answers: stacked on a portrait screen (full-width targets), side by side on a landscape one. */
const choices = 'flex w-full max-w-4xl flex-col gap-8 landscape:max-w-6xl landscape:flex-row';

type BodyProps = {
  screen: Screen;
  t: Messages['kiosk'];
  text: KioskText['vi'];
  setup: KioskSetup;
  onVneid: () => void;
  onBack: () => void;
  onPayload: (raw: string) => void;
  onYes: (s: Screen & { k: 'confirm' }) => void;
  onNo: (v: Visit) => void;
  onRoom: (v: Visit, roomCode: string) => void;
  onEmergency: (v: Visit) => void;
  onPayer: (v: Visit, roomCode: string, payer: Payer) => void;
  onBhytCounter: (v: Visit, status: 'REJECTED' | 'UNAVAILABLE') => void;
};

function Body(p: BodyProps) {
  const { screen: s, t } = p;
  switch (s.k) {
    case 'idle':
    case 'vneid':
      return (
        <>
          <h1 className="text-5xl font-bold text-brand-800">{s.k === 'vneid' ? t.vneidTitle : t.idleTitle}</h1>
          {/* Portrait: text above the picture; landscape: side by side. */}
          <div className="flex w-full max-w-[110rem] flex-col items-center gap-12 landscape:flex-row landscape:justify-center">
            {s.k === 'idle' ? (
              <p className="max-w-5xl text-6xl font-bold leading-tight landscape:flex-1 landscape:text-left">
                {t.idleScan}
              </p>
            ) : (
              <ol className="max-w-4xl list-decimal space-y-4 pl-12 text-left text-4xl leading-snug landscape:flex-1">
                {t.vneidSteps.map((step) => (
                  <li key={step}>{step}</li>
                ))}
              </ol>
            )}
            <div className="flex flex-col items-center gap-6">
              <HoldAnimation t={t} phoneOnly={s.k === 'vneid'} />
              <CameraScanner autoOpen text={p.text.scan} onPayload={p.onPayload} className="w-[26rem] max-w-full" />
            </div>
          </div>
          <p className="text-3xl text-slate-800">{t.idleHow}</p>
          {s.k === 'idle' ? (
            <button type="button" className={secondary} onClick={p.onVneid}>
              {t.vneidHelp}
            </button>
          ) : (
            <button type="button" className={secondary} onClick={p.onBack}>
              {t.back}
            </button>
          )}
        </>
      );
    case 'busy':
      return (
        <div role="status" className="flex flex-col items-center gap-8">
          <div className="size-24 animate-spin rounded-full border-[12px] border-slate-200 border-t-brand-800" />
          <p className="text-5xl font-semibold">{s.bhyt ? t.bhytChecking : t.working}</p>
        </div>
      );
    case 'confirm':
      return (
        <>
          <h1 className="text-6xl font-bold">{t.confirmTitle}</h1>
          <div className="rounded-3xl border-4 border-slate-800 px-16 py-10">
            <div className="text-7xl font-bold" data-testid="kiosk-person">
              {s.name}
            </div>
            <div className="mt-4 text-5xl">{fill(t.bornIn, { year: s.birthYear })}</div>
          </div>
          {s.checkedInToday && <p className="max-w-4xl text-3xl">{t.alreadyToday}</p>}
          <div className={choices}>
            <button type="button" className={`${primary} flex-1`} onClick={() => p.onYes(s)}>
              {t.yes}
            </button>
            <button type="button" className={`${secondary} flex-1`} onClick={() => p.onNo(s.visit)}>
              {t.no}
            </button>
          </div>
        </>
      );
    case 'rooms':
      return (
        <>
          <h1 className="text-6xl font-bold">{t.roomsTitle}</h1>
          {s.rooms.length === 0 && <p className="text-4xl">{t.noRooms}</p>}
          <div className="grid w-full max-w-6xl grid-cols-2 gap-6 landscape:max-w-[110rem] landscape:grid-cols-3">
            {s.rooms.map((r) => (
              <button
                key={r.code}
                type="button"
                onClick={() => p.onRoom(s.visit, r.code)}
                className="flex min-h-36 flex-col items-center justify-center gap-2 rounded-3xl border-4 border-brand-800 bg-brand-50 px-6 py-4 shadow-md active:translate-y-0.5"
              >
                <span className="text-4xl font-bold" lang="vi">
                  {r.name}
                </span>
                <span className="text-2xl text-slate-800" lang="vi">
                  {r.department}
                </span>
                <span className="text-3xl font-semibold text-brand-800">{fill(t.waiting, { n: r.waiting })}</span>
              </button>
            ))}
          </div>
          <button
            type="button"
            onClick={() => p.onEmergency(s.visit)}
            className="flex min-h-28 w-full max-w-6xl flex-col landscape:max-w-[110rem] items-center justify-center rounded-3xl bg-red-700 px-8 py-4 text-white shadow-md"
          >
            <span className="text-5xl font-black">{t.emergency}</span>
            <span className="text-2xl">{t.emergencyHint}</span>
          </button>
        </>
      );
    case 'payer':
      return (
        <>
          <h1 className="text-6xl font-bold">{t.payerTitle}</h1>
          <div className={choices}>
            <button
              type="button"
              className={`${primary} flex-1`}
              onClick={() => p.onPayer(s.visit, s.roomCode, 'BHYT')}
            >
              {t.payerBhyt}
            </button>
            <button
              type="button"
              className={`${secondary} flex-1`}
              onClick={() => p.onPayer(s.visit, s.roomCode, 'SELF_PAY')}
            >
              {t.payerSelf}
            </button>
          </div>
          <p className="max-w-5xl text-3xl leading-snug">{t.payerCardHint}</p>
          {s.note && (
            <p role="alert" className="max-w-5xl text-3xl font-semibold text-red-800">
              {s.note}
            </p>
          )}
          <CameraScanner autoOpen text={p.text.scan} onPayload={p.onPayload} className="w-[22rem] max-w-full" />
        </>
      );
    case 'bhyt':
      return (
        <>
          <h1 className="max-w-5xl text-5xl font-bold text-red-800">
            {s.status === 'REJECTED' ? t.bhytRejectedTitle : t.bhytUnavailableTitle}
          </h1>
          <p className="max-w-5xl text-4xl leading-snug">
            {s.status === 'REJECTED' ? t.bhytRejected : t.bhytUnavailable}
          </p>
          {s.resultCode && <p className="text-2xl text-slate-800">{fill(t.resultCode, { code: s.resultCode })}</p>}
          <div className={choices}>
            {s.canSelfPay && (
              <button
                type="button"
                className={`${primary} flex-1`}
                onClick={() => p.onPayer(s.visit, s.roomCode, 'SELF_PAY')}
              >
                {t.takeSelfPay}
              </button>
            )}
            <button type="button" className={`${secondary} flex-1`} onClick={() => p.onBhytCounter(s.visit, s.status)}>
              {t.goCounter}
            </button>
          </div>
        </>
      );
    case 'ticket':
      return (
        <>
          <h1 className="text-5xl font-bold">{t.ticketTitle}</h1>
          <div
            className="text-[12rem] font-black leading-none text-brand-800"
            data-testid="kiosk-queue"
            data-printed={String(s.printed)}
          >
            {s.ticket.queueNumber}
          </div>
          <p className="max-w-5xl text-5xl font-bold leading-tight">{fill(t.ticketGo, { room: s.ticket.room.name })}</p>
          <p className="text-3xl">{s.ticket.room.department}</p>
          {s.ticket.reprint && <p className="text-3xl">{t.ticketReprint}</p>}
          {s.printed === false ? (
            <p role="alert" className="max-w-5xl text-3xl font-semibold text-red-800">
              {t.ticketPrintFailed}
            </p>
          ) : (
            <p className="text-3xl">{t.ticketPrinted}</p>
          )}
          <button type="button" className={primary} onClick={p.onBack}>
            {t.done}
          </button>
        </>
      );
    case 'counter':
      return (
        <>
          <h1 className="max-w-5xl text-6xl font-bold">{t.counterTitle}</h1>
          <p className="max-w-5xl text-4xl leading-snug" data-testid="kiosk-reason" data-reason={s.reason}>
            {t.counterReason[s.reason] ?? t.counterReason.ERROR}
          </p>
          <button type="button" className={primary} onClick={p.onBack}>
            {t.done}
          </button>
        </>
      );
    case 'emergency':
      return (
        <>
          <h1 className="max-w-5xl text-7xl font-black text-red-700">{t.emergencyTitle}</h1>
          <p className="max-w-5xl text-4xl leading-snug">{t.emergencyBody}</p>
          <button type="button" className={primary} onClick={p.onBack}>
            {t.done}
          </button>
        </>
      );
  }
}

/** Where to hold the card or the phone: they move onto the scanner's lit window, which lights up. */
function HoldAnimation({ t, phoneOnly }: { t: Messages['kiosk']; phoneOnly: boolean }) {
  return (
    <div aria-hidden="true" className="flex flex-col items-center gap-4">
      <div className="flex h-56 items-end gap-10">
        {!phoneOnly && (
          <div className="kiosk-hold flex h-36 w-56 flex-col justify-between rounded-2xl border-4 border-slate-800 bg-sky-100 p-3">
            <div className="flex justify-between">
              <div className="h-8 w-10 rounded bg-amber-400" />
              <div className="size-16 bg-[repeating-conic-gradient(#0f172a_0_25%,#fff_0_50%)] bg-[length:16px_16px]" />
            </div>
            <div className="text-left text-lg font-semibold">{t.card}</div>
          </div>
        )}
        <div className="kiosk-hold flex h-52 w-28 flex-col items-center justify-center gap-2 rounded-3xl border-4 border-slate-800 bg-white [animation-delay:0.6s]">
          <div className="size-16 bg-[repeating-conic-gradient(#0f172a_0_25%,#fff_0_50%)] bg-[length:16px_16px]" />
          <div className="px-1 text-sm font-semibold leading-tight">{t.phone}</div>
        </div>
      </div>
      <div className="kiosk-beam h-6 w-96 rounded-full bg-red-500 shadow-[0_0_30px_10px_rgba(239,68,68,0.6)]" />
    </div>
  );
}
