'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { useLatest } from '@/components/use-latest';
import { DuplicateFilter } from '@/lib/scan/duplicates';
import { SerialMessageSplitter } from '@/lib/scan/serial-messages';
import type { OnPayload, ScanText } from './types';
import { BAUD_RATES, loadBaudRate, saveBaudRate, webSerial, type SerialPortLike } from './web-serial';

type State = 'idle' | 'connecting' | 'connected' | 'error';

const QUIET_FLUSH_MS = 150; // a scanner that sends no CR/LF: the message ends when the bytes stop

function openErrorMessage(error: unknown, text: ScanText): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotFoundError' || name === 'AbortError') return text.serialNoPort;
  if (name === 'InvalidStateError') return text.serialBusy;
  return text.serialOpenFailed;
}

/**
 * A QR scanner in USB-COM (virtual serial) mode, read with the Web Serial API. Keyboard mode loses
 * Vietnamese diacritics on many scanners; COM mode hands us the UTF-8 bytes. Messages end at CR/LF or at a
 * BHYT QR's closing '|$'. Hidden behind an explanation where the browser has no Web Serial.
 */
export function SerialScanner({ onPayload, text }: { onPayload: OnPayload; text: ScanText }) {
  const [supported, setSupported] = useState<boolean | null>(null); // known only in the browser
  const [baudRate, setBaudRate] = useState(9600);
  const [state, setState] = useState<State>('idle');
  const [message, setMessage] = useState('');
  const portRef = useRef<SerialPortLike | null>(null);
  const readerRef = useRef<ReadableStreamDefaultReader<Uint8Array> | null>(null);
  const keepReading = useRef(false);
  const latest = useLatest(onPayload);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- known only in the browser: set after hydration so the server's HTML matches
    setSupported(webSerial() !== null);
    setBaudRate(loadBaudRate());
  }, []);

  const readLoop = useCallback(
    async (port: SerialPortLike) => {
      const splitter = new SerialMessageSplitter();
      const duplicates = new DuplicateFilter();
      let flushTimer: ReturnType<typeof setTimeout> | undefined;
      const deliver = (messages: string[]) => {
        for (const raw of messages) if (duplicates.accept(raw)) latest.current(raw, 'serial');
      };
      while (keepReading.current && port.readable) {
        const reader = port.readable.getReader();
        readerRef.current = reader;
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            clearTimeout(flushTimer);
            deliver(splitter.push(value));
            if (splitter.hasPending) flushTimer = setTimeout(() => deliver(splitter.flush()), QUIET_FLUSH_MS);
          }
        } catch {
          // Framing/parity/overrun errors are not fatal: Web Serial hands out a fresh stream; keep reading.
          if (keepReading.current) setMessage(text.serialReadError);
        } finally {
          reader.releaseLock();
          readerRef.current = null;
        }
      }
      clearTimeout(flushTimer);
      deliver(splitter.flush());
      if (keepReading.current) {
        // The stream ended without us asking: cable pulled or device reset.
        keepReading.current = false;
        portRef.current = null;
        await port.close().catch(() => {});
        setState('error');
        setMessage(text.serialLost);
      }
    },
    [text, latest],
  );

  const connect = useCallback(async () => {
    const serial = webSerial();
    if (!serial) return;
    setState('connecting');
    setMessage(text.serialConnecting);
    let port: SerialPortLike;
    try {
      port = await serial.requestPort();
      await port.open({ baudRate, dataBits: 8, stopBits: 1, parity: 'none' }); // 8N1, as the scanners ship
    } catch (error) {
      setState('error');
      setMessage(openErrorMessage(error, text));
      return;
    }
    portRef.current = port;
    keepReading.current = true;
    setState('connected');
    setMessage(text.serialConnected);
    void readLoop(port);
  }, [baudRate, readLoop, text]);

  const disconnect = useCallback(async () => {
    keepReading.current = false;
    const port = portRef.current;
    portRef.current = null;
    await readerRef.current?.cancel().catch(() => {});
    await port?.close().catch(() => {});
    setState('idle');
    setMessage('');
  }, []);

  useEffect(() => () => void disconnect(), [disconnect]);

  if (supported === null) return null;
  if (!supported) {
    return (
      <div className="flex flex-col gap-2">
        <button
          type="button"
          disabled
          className="self-start rounded-lg bg-slate-300 px-4 py-2 font-semibold text-slate-600"
        >
          {text.serialConnect}
        </button>
        {/* Web Serial, like the camera, exists only on secure pages: over http:// the reason is the address, not the browser. */}
        <p className="text-sm text-slate-700">
          {window.isSecureContext ? text.serialUnsupported : text.serialInsecure}
        </p>
      </div>
    );
  }

  const connected = state === 'connected';
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-end gap-3">
        {connected ? (
          <button
            type="button"
            onClick={() => void disconnect()}
            className="rounded-lg border-2 border-slate-400 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-50"
          >
            {text.serialDisconnect}
          </button>
        ) : (
          <button
            type="button"
            disabled={state === 'connecting'}
            onClick={() => void connect()}
            className="rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-60"
          >
            {text.serialConnect}
          </button>
        )}
        <label className="flex flex-col text-sm text-slate-700">
          {text.serialBaud}
          <select
            value={baudRate}
            disabled={state !== 'idle' && state !== 'error'}
            onChange={(e) => {
              const rate = Number(e.target.value);
              setBaudRate(rate);
              saveBaudRate(rate);
            }}
            className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-base"
          >
            {BAUD_RATES.map((rate) => (
              <option key={rate} value={rate}>
                {rate}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p
        role={state === 'error' ? 'alert' : 'status'}
        className={state === 'error' ? 'font-medium text-red-700' : 'text-slate-700'}
      >
        {message || text.serialIdle}
      </p>
      <p className="text-sm text-slate-500">{text.serialHint}</p>
    </div>
  );
}
