'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { useLatest } from '@/components/use-latest';
import { DuplicateFilter } from '@/lib/scan/duplicates';
import type { OnPayload, ScanText } from './types';

type Status = 'closed' | 'starting' | 'loading' | 'scanning' | 'error';

const FRAME_PAUSE_MS = 60; // between decodes: leaves the CPU (2 cores) for the rest of the desk

function cameraErrorMessage(error: unknown, text: ScanText): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return text.cameraDenied;
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return text.cameraNotFound;
  if (name === 'NotReadableError' || name === 'AbortError') return text.cameraBusy;
  return text.cameraError;
}

/**
 * Webcam QR reader. The camera opens only when the user asks ("Quét bằng camera") and closes with the
 * button or Esc. The decoder (zxing-wasm, in a Web Worker) is loaded on first open. A card held in view is read once
 * (sliding 2 s duplicate window), then again only after it has left the picture.
 */
export function CameraScanner({
  onPayload,
  text,
  closeAfterRead = false,
  autoOpen = false,
  className,
}: {
  onPayload: OnPayload;
  text: ScanText;
  closeAfterRead?: boolean;
  /** The kiosk: the camera opens with the screen (no button) and a missing camera shows nothing. */
  autoOpen?: boolean;
  className?: string;
}) {
  const [status, setStatus] = useState<Status>('closed');
  const [message, setMessage] = useState('');
  const videoRef = useRef<HTMLVideoElement>(null);
  const session = useRef(0); // bumps on every close: a running loop sees it and stops
  const streamRef = useRef<MediaStream | null>(null);
  const latest = useLatest({ onPayload, closeAfterRead });

  const close = useCallback(() => {
    session.current++;
    streamRef.current?.getTracks().forEach((track) => track.stop());
    streamRef.current = null;
    if (videoRef.current) videoRef.current.srcObject = null;
    setStatus('closed');
    setMessage('');
  }, []);

  const open = useCallback(async () => {
    const mine = ++session.current;
    const alive = () => session.current === mine;
    // Browsers offer the camera only to secure pages (https://, or localhost): a desk that opened the server's
    // LAN address over http:// gets no navigator.mediaDevices at all, and must be told why.
    if (!window.isSecureContext) {
      setStatus('error');
      setMessage(text.cameraInsecure);
      return;
    }
    if (!navigator.mediaDevices?.getUserMedia) {
      setStatus('error');
      setMessage(text.cameraUnsupported);
      return;
    }
    setStatus('starting');
    setMessage(text.cameraStarting);
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
      });
    } catch (error) {
      if (alive()) {
        setStatus('error');
        setMessage(cameraErrorMessage(error, text));
      }
      return;
    }
    if (!alive()) return stream.getTracks().forEach((track) => track.stop());
    streamRef.current = stream;
    const video = videoRef.current!;
    video.srcObject = stream;
    await video.play().catch(() => {}); // autoplay of a muted inline video is allowed

    setStatus('loading');
    setMessage(text.cameraLoading);
    let decoder: typeof import('./camera-decoder');
    try {
      decoder = await import('./camera-decoder');
      await decoder.loadDecoder();
    } catch {
      if (alive()) {
        close();
        setStatus('error');
        setMessage(text.cameraDecoderFailed);
      }
      return;
    }
    if (!alive()) return;
    setStatus('scanning');
    setMessage(text.cameraReady);
    const duplicates = new DuplicateFilter({ sliding: true });
    while (alive()) {
      const raw = await decoder.decodeVideoFrame(video).catch(() => null);
      if (!alive()) break;
      if (raw !== null && duplicates.accept(raw)) {
        setMessage(text.cameraRead);
        latest.current.onPayload(raw, 'camera');
        if (latest.current.closeAfterRead) close();
      }
      await new Promise((resolve) => setTimeout(resolve, FRAME_PAUSE_MS));
    }
  }, [close, text, latest]);

  useEffect(() => {
    if (status === 'closed' || status === 'error') return;
    const onKey = (ev: KeyboardEvent) => {
      if (ev.key === 'Escape') close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [status, close]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- opening the camera (an external system) is what this effect does; open() reports its status
    if (autoOpen) void open();
    return close; // release the camera when the page goes away
  }, [autoOpen, open, close]);

  const isOpen = status !== 'closed' && status !== 'error';
  // The kiosk shows the picture only once there is one (no black box while a camera that may not exist opens).
  const shown = autoOpen ? status === 'loading' || status === 'scanning' : isOpen;
  return (
    <div className={className ?? 'flex flex-col gap-2'}>
      {autoOpen ? null : isOpen ? (
        <button
          type="button"
          onClick={close}
          className="self-start rounded-lg border-2 border-slate-400 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-50"
        >
          {text.cameraClose}
        </button>
      ) : (
        <button
          type="button"
          onClick={() => void open()}
          className="self-start rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800"
        >
          {text.cameraOpen}
        </button>
      )}
      <video
        ref={videoRef}
        muted
        playsInline
        aria-label={text.cameraOpen}
        className={
          shown ? (autoOpen ? 'w-full rounded-2xl bg-black' : 'w-full max-w-md rounded-lg bg-black') : 'hidden'
        }
      />
      {message && (!autoOpen || status === 'scanning') && (
        <p
          role={status === 'error' ? 'alert' : 'status'}
          className={status === 'error' ? 'font-medium text-red-700' : 'text-slate-700'}
        >
          {message}
        </p>
      )}
    </div>
  );
}
