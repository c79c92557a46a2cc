'use client';

import { signOut } from 'next-auth/react';
import { useEffect } from 'react';

/**
 * Signs out a desk PC left alone, so the next person does not see the last patient. The server enforces the
 * same limit on every request; this only clears the screen without waiting for one.
 */
export function IdleGuard({ idleMs }: { idleMs: number }) {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const reset = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void signOut({ callbackUrl: '/login?reason=idle' }), idleMs);
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
