'use client';

import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useLatest } from '@/components/use-latest';
import { fill, type Messages } from '@/lib/i18n/messages';
import { useLang, useT } from '@/components/i18n';
import { formatTime } from '@/lib/time/local-day';
import { CheckinResult } from './checkin-result';
import { NewPatientForm, type FormField, type NewPatientChoice } from './new-patient-form';
import { TodayList } from './today-list';
import { ScanBox, type ScanBoxHandle } from '@/components/scan/scan-box';
import { CameraScanner } from '@/components/scan/camera-scanner';
import { SerialScanner } from '@/components/scan/serial-scanner';
import { printPage } from '@/components/print/print-frame';
import type { CheckinNotFoundResponse, CheckinResponse, SeenTodayDetails } from '@/lib/encounters/check-in';
import { ApiError, errorText } from '@/components/api-fetch';
import { checkIn, slipPrinted } from './desk.resource';
import { Filled } from '@/components/filled';
import type { Payer, VisitType } from '@/lib/codes';

/** What the desk sends to POST /api/v1/checkins besides the desk's options (lib/encounters/check-in.ts). */
type Request = Record<string, unknown>;
type Visit = SeenTodayDetails['visits'][number];

/**
 * Something went wrong with what the receptionist sent; whatever they typed stays where it is.
 * `fromServer`: the message is the server's (Vietnamese) text. `retry`: sending the same again may work.
 */
export type Problem = {
  message: string;
  fromServer?: boolean;
  fields?: Partial<Record<FormField, string>>;
  session?: boolean;
  retry?: boolean;
};

type Stage =
  | { kind: 'idle' }
  | { kind: 'done'; result: CheckinResponse }
  | { kind: 'form'; key: number; notFound: CheckinNotFoundResponse; request: Request; problem: Problem | null }
  | {
      kind: 'second-room';
      request: Request;
      patient: string;
      visits: Visit[];
      roomName: string;
      problem: Problem | null;
    }
  | { kind: 'failed'; request: Request; problem: Problem };

/** A stage the receptionist is in the middle of: new scans wait for them instead of replacing it. */
const isOpen = (stage: Stage) => stage.kind === 'form' || stage.kind === 'second-room';

/** Server field paths of the new-patient form (zod issue paths) → its fields. */
const FIELD_OF: Record<string, FormField> = {
  'newPatient.fullName': 'fullName',
  'newPatient.dateOfBirth': 'dateOfBirth',
  'newPatient.sex': 'sex',
  'newPatient.address': 'address',
};

/**
 * The receptionist's desk: one scan box always ready; scan or type → check-in → queue number, or a pre-filled
 * new-patient form. Nothing is lost: a scan that arrives while a check-in is on its way waits its turn; one that
 * arrives while a form or a question is open is held and offered; a failed send keeps the form as typed.
 * Keyboard: Enter sends, F2 prints the slip, Esc cancels.
 */
export function DeskConsole({
  rooms,
  initialRoom,
  priorities,
}: {
  rooms: { code: string; name: string }[];
  initialRoom: string;
  priorities: string[];
}) {
  const t = useT();
  const lang = useLang();
  const d = t.desk;
  const [roomCode, setRoomCode] = useState(initialRoom);
  const [visitType, setVisitType] = useState<VisitType>('OUTPATIENT');
  const [payer, setPayer] = useState<'' | Payer>('');
  const [priority, setPriority] = useState('');
  const [vneid, setVneid] = useState(false);
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const [held, setHeld] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [refreshKey, setRefreshKey] = useState(0);
  const [printProblem, setPrintProblem] = useState<string | null>(null);
  const scan = useRef<ScanBoxHandle>(null);
  const roomSelect = useRef<HTMLSelectElement>(null);
  const retryButton = useRef<HTMLButtonElement>(null);
  const inFlight = useRef(false);
  const queued = useRef<string[]>([]); // scans that came while a check-in was on its way
  const stageRef = useLatest(stage);
  const formKey = useRef(0);
  const hintId = useId();
  const serverLang = lang === 'vi' ? undefined : 'vi'; // the server's messages are Vietnamese: say so to the browser

  const options = useCallback(
    () => ({
      roomCode,
      visitType,
      ...(payer ? { payer } : {}),
      ...(priority ? { priority } : {}),
      ...(vneid ? { source: 'VNEID' } : {}),
    }),
    [roomCode, visitType, payer, priority, vneid],
  );

  /** Sends one check-in and moves the desk to what the answer says. `request`: the scan or typed part (no options). */
  const send = useCallback(
    async (request: Request) => {
      inFlight.current = true;
      setBusy(true);
      const current = stageRef.current;
      const keep = (problem: Problem) => {
        // A form or a question stays open, as typed; anything else shows the problem with a way to send again.
        if (current.kind === 'form' || current.kind === 'second-room') setStage({ ...current, problem });
        else setStage({ kind: 'failed', request, problem });
      };
      try {
        const answer = await checkIn({ ...options(), ...request }, { signIn: isOpen(current) ? false : undefined });
        if (answer.kind === 'checked-in') {
          setPrintProblem(null);
          setStage({ kind: 'done', result: answer.result });
          setRefreshKey((k) => k + 1);
        } else {
          setStage({ kind: 'form', key: ++formKey.current, notFound: answer.notFound, request, problem: null });
        }
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        const error = e.error as
          ({ issues?: { path: string; message: string }[] } & Partial<SeenTodayDetails>) | undefined;
        if (e.status === 0) {
          keep({ message: d.problem.network, retry: true });
        } else if (e.status === 409 && e.code === 'SEEN_TODAY_OTHER_ROOM') {
          const roomName = rooms.find((r) => r.code === roomCode)?.name ?? roomCode;
          setStage({
            kind: 'second-room',
            request,
            patient: error?.patient?.fullName ?? '',
            visits: error?.visits ?? [],
            roomName,
            problem: null,
          });
        } else if (e.status === 401) {
          // With a form or question open the page stays (apiFetch did not leave it): sign in again in another tab.
          if (isOpen(current)) keep({ message: d.problem.session, session: true, retry: true });
        } else {
          const fields: Partial<Record<FormField, string>> = {};
          for (const issue of error?.issues ?? []) {
            const field = FIELD_OF[issue.path];
            if (field && !fields[field]) fields[field] = issue.message;
          }
          const retry = e.status >= 500 || e.status === 429;
          if (Object.keys(fields).length > 0) keep({ message: d.problem.fields, fields });
          else keep({ message: errorText(e, d.problem.server), fromServer: e.fromServer, retry });
        }
      } finally {
        inFlight.current = false;
        setBusy(false);
      }
    },
    [options, d, rooms, roomCode, stageRef],
  );

  // After each answer: scans that waited for it go next, unless the receptionist now has a form or question open.
  useEffect(() => {
    if (busy || queued.current.length === 0) return;
    if (isOpen(stage) || !roomCode) {
      setHeld((h) => [...h, ...queued.current.splice(0)]);
      return;
    }
    void send({ raw: queued.current.shift()! });
  }, [busy, stage, roomCode, send]);

  const onPayload = useCallback(
    (raw: string) => {
      if (inFlight.current) {
        queued.current.push(raw);
        return;
      }
      if (isOpen(stageRef.current) || !roomCode) {
        setHeld((h) => [...h, raw]);
        // After the scan box has taken the focus back (it does once it has handed over a payload): the room is needed.
        if (!roomCode) queueMicrotask(() => roomSelect.current?.focus());
        return;
      }
      void send({ raw });
    },
    [roomCode, send, stageRef],
  );

  const takeHeld = () => {
    const [next, ...rest] = held;
    if (next === undefined || !roomCode) return;
    setHeld(rest);
    setStage({ kind: 'idle' }); // the form (if any) is dropped: the receptionist chose the new scan
    void send({ raw: next });
  };

  const print = useCallback(async () => {
    if (stage.kind !== 'done') return;
    const encounterId = stage.result.encounter.id;
    setPrintProblem(null);
    if (!(await printPage(`/tiep-don/phieu/${encounterId}`))) return setPrintProblem(d.result.printFailed);
    // Recorded only now that the print dialog opened.
    await slipPrinted(encounterId).catch(() => {});
  }, [stage, d]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'F2') {
        event.preventDefault();
        void print();
      }
      if (event.key === 'Escape' && !event.defaultPrevented) {
        setStage({ kind: 'idle' });
        scan.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [print]);

  // Where the receptionist is needed next (a form places its own focus).
  useEffect(() => {
    if (stage.kind === 'failed' && stage.problem.retry) retryButton.current?.focus();
    else if (stage.kind === 'idle' || stage.kind === 'done' || stage.kind === 'failed') {
      if (roomCode) scan.current?.focus();
    }
  }, [stage, roomCode]);

  const submitForm = (choice: NewPatientChoice) => {
    if (stage.kind === 'form') void send({ ...stage.request, ...choice });
  };
  const select = 'mt-1 block rounded-md border border-slate-400 px-2 py-1.5';

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-3">
        <h1 className="w-full text-lg font-semibold text-brand-800">{d.title}</h1>
        <label className="block">
          <span className="text-xs font-medium text-slate-700">{d.room}</span>
          <select
            ref={roomSelect}
            value={roomCode}
            onChange={(e) => setRoomCode(e.target.value)}
            className={select}
            aria-invalid={!roomCode || undefined}
          >
            {!roomCode && <option value="">{d.chooseRoom}</option>}
            {rooms.map((r) => (
              <option key={r.code} value={r.code}>
                {r.code} — {r.name}
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          <span className="text-xs font-medium text-slate-700">{d.visitType}</span>
          <select value={visitType} onChange={(e) => setVisitType(e.target.value as VisitType)} className={select}>
            <option value="OUTPATIENT">{t.codes.visitType.OUTPATIENT}</option>
            <option value="EMERGENCY">{t.codes.visitType.EMERGENCY}</option>
          </select>
        </label>
        <label className="block">
          <span className="text-xs font-medium text-slate-700">{d.payer}</span>
          <select value={payer} onChange={(e) => setPayer(e.target.value as '' | Payer)} className={select}>
            <option value="">{d.payerAuto}</option>
            <option value="BHYT">{t.codes.payer.BHYT}</option>
            <option value="SELF_PAY">{t.codes.payer.SELF_PAY}</option>
          </select>
        </label>
        <label className="block">
          <span className="text-xs font-medium text-slate-700">{d.priority}</span>
          <select value={priority} onChange={(e) => setPriority(e.target.value)} className={select}>
            <option value="">{d.priorityAuto}</option>
            {priorities
              .filter((p) => p !== 'NORMAL')
              .map((p) => (
                <option key={p} value={p}>
                  {t.codes.priority[p as keyof typeof t.codes.priority]}
                </option>
              ))}
          </select>
        </label>
        <div className="max-w-sm pb-1">
          <label className="flex items-center gap-2 text-sm font-medium">
            <input
              type="checkbox"
              checked={vneid}
              onChange={(e) => setVneid(e.target.checked)}
              aria-describedby={hintId}
            />{' '}
            {d.vneid}
          </label>
          <p id={hintId} className="text-xs text-slate-600">
            {d.vneidHint}
          </p>
        </div>
        <a href="/tiep-don/bhyt-cho-xac-minh" className="ml-auto pb-2 text-sm text-brand-700 underline">
          {d.unverifiedLink}
        </a>
        <a href="/tiep-don/kiem-tra-may-quet" className="pb-2 text-sm text-brand-700 underline">
          {d.scannerCheckLink}
        </a>
        {!roomCode && (
          <p role="alert" className="w-full text-sm font-medium text-red-800">
            {d.roomFirst}
          </p>
        )}
      </div>

      <div aria-busy={busy} className="space-y-2">
        <ScanBox ref={scan} onPayload={onPayload} text={{ ...t.scan, submit: d.checkIn }} />
        <p className="text-xs text-slate-600">{busy ? d.working : d.keys}</p>
        {/* Kept mounted when folded, so a connected COM scanner keeps delivering. */}
        <details className="rounded-lg border border-slate-200 bg-white px-3 py-2">
          <summary className="cursor-pointer text-sm font-medium text-slate-700">{d.moreInputs}</summary>
          <div className="mt-2 flex flex-wrap items-start gap-3">
            <CameraScanner onPayload={onPayload} text={t.scan} closeAfterRead />
            <SerialScanner onPayload={onPayload} text={t.scan} />
          </div>
        </details>
      </div>

      {held.length > 0 && (
        <section
          role="status"
          aria-label={d.held.title}
          data-testid="held-scan"
          className="flex flex-wrap items-center gap-3 rounded-lg border border-sky-400 bg-sky-50 p-3 text-sky-950"
        >
          <div className="flex-1">
            <p className="font-semibold">{d.held.title}</p>
            <p className="text-sm">
              {isOpen(stage) ? d.held.body : ''} {held.length > 1 ? fill(d.held.more, { n: held.length - 1 }) : ''}
            </p>
          </div>
          <button
            type="button"
            onClick={takeHeld}
            disabled={!roomCode || busy}
            className="rounded-md bg-sky-800 px-3 py-2 text-sm font-semibold text-white disabled:opacity-60"
          >
            {isOpen(stage) ? d.held.use : d.held.useNow}
          </button>
          <button
            type="button"
            onClick={() => setHeld((h) => h.slice(1))}
            className="rounded-md border border-sky-700 px-3 py-2 text-sm"
          >
            {d.held.drop}
          </button>
        </section>
      )}

      {stage.kind === 'failed' && (
        <div
          role="alert"
          data-testid="desk-error"
          className="flex flex-wrap items-center gap-3 rounded-lg border border-red-300 bg-red-50 p-3 font-medium text-red-800"
        >
          <span lang={stage.problem.fromServer ? serverLang : undefined} className="flex-1">
            {stage.problem.message}
          </span>
          {stage.problem.retry && (
            <button
              ref={retryButton}
              type="button"
              disabled={busy}
              onClick={() => void send(stage.request)}
              className="rounded-md bg-red-800 px-3 py-1.5 text-sm font-semibold text-white"
            >
              {d.problem.retry}
            </button>
          )}
        </div>
      )}
      {stage.kind === 'done' && (
        <CheckinResult
          key={stage.result.encounter.id}
          result={stage.result}
          onPrint={() => void print()}
          printProblem={printProblem}
          onUpdated={(patient) => setStage({ kind: 'done', result: { ...stage.result, patient } })}
        />
      )}
      {stage.kind === 'second-room' && (
        <SecondRoom
          t={d}
          stage={stage}
          busy={busy}
          serverLang={serverLang}
          onConfirm={() => void send({ ...stage.request, confirmSecondRoom: true })}
          onCancel={() => setStage({ kind: 'idle' })}
        />
      )}
      {stage.kind === 'form' && (
        <NewPatientForm
          key={stage.key}
          notFound={stage.notFound}
          busy={busy}
          problem={stage.problem}
          onSubmit={submitForm}
          onCancel={() => setStage({ kind: 'idle' })}
        />
      )}
      {roomCode && <TodayList roomCode={roomCode} refreshKey={refreshKey} />}
    </div>
  );
}

/** The patient was already checked in today in another room: say where, and check in again only if confirmed. */
function SecondRoom({
  t,
  stage,
  busy,
  serverLang,
  onConfirm,
  onCancel,
}: {
  t: Messages['desk'];
  stage: Extract<Stage, { kind: 'second-room' }>;
  busy: boolean;
  serverLang: string | undefined;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const titleId = useId();
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    confirm.current?.focus();
  }, [stage.problem]);
  return (
    <section
      role="alertdialog"
      aria-labelledby={titleId}
      className="rounded-xl border-2 border-amber-500 bg-amber-50 p-4 text-amber-950"
    >
      <h2 id={titleId} className="text-lg font-semibold">
        {t.secondRoom.title}
      </h2>
      <p className="mt-1 font-semibold">{stage.patient}</p>
      <ul className="mt-1 list-disc pl-5">
        {stage.visits.map((v) => (
          <li key={`${v.roomCode}-${v.queueNumber}`}>
            <Filled
              template={t.secondRoom.visit}
              vars={{ room: v.roomName, number: v.queueNumber, time: formatTime(new Date(v.checkedInAt)) }}
              vi={['room']}
            />
          </li>
        ))}
      </ul>
      <p className="mt-2">
        <Filled template={t.secondRoom.question} vars={{ room: stage.roomName }} vi={['room']} />
      </p>
      {stage.problem && (
        <p
          role="alert"
          lang={stage.problem.fromServer ? serverLang : undefined}
          className="mt-2 rounded bg-red-50 p-2 text-sm font-medium text-red-800"
        >
          {stage.problem.message}
        </p>
      )}
      <div className="mt-3 flex gap-2">
        <button
          ref={confirm}
          type="button"
          disabled={busy}
          onClick={onConfirm}
          className="rounded-md bg-amber-800 px-4 py-2 font-semibold text-white hover:bg-amber-900 disabled:opacity-60"
        >
          <Filled template={t.secondRoom.confirm} vars={{ room: stage.roomName }} vi={['room']} />{' '}
          <kbd className="ml-1 rounded border border-white/60 px-1 text-xs">Enter</kbd>
        </button>
        <button type="button" onClick={onCancel} className="rounded-md border border-amber-800 px-4 py-2">
          {t.secondRoom.cancel} <kbd className="ml-1 rounded border px-1 text-xs">Esc</kbd>
        </button>
      </div>
    </section>
  );
}
