'use client';

import { useEffect } from 'react';
import { signOut } from './sign-out';
import { me } from './account.resource';

/** How often, at most, keyboard or mouse use is reported to the server as activity. */
const REPORT_EVERY_MS = 60_000;

/**
 * Signs out a desk PC left alone, so the next person does not see the last patient. The server enforces the
 * same limit on every request; this only clears the screen without waiting for one. The screen's background
 * polling does not count as activity on the server, so someone working on the screen without sending anything
 * (reading a record, filling a form) is reported as active at most once a minute.
 */
export function IdleGuard({ idleMs }: { idleMs: number }) {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    let reported = Date.now();
    const reset = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void signOut({ callbackUrl: '/login?reason=idle' }), idleMs);
      if (Date.now() - reported > REPORT_EVERY_MS) {
        reported = Date.now();
        void me().catch(() => {});
      }
    };
    const events = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;
    events.forEach((e) => window.addEventListener(e, reset, { passive: true }));
    reset();
    return () => {
      clearTimeout(timer);
      events.forEach((e) => window.removeEventListener(e, reset));
    };
  }, [idleMs]);
  return null;
}
