/**
 * Keyboard-wedge burst assembler. A USB-HID scanner "types" its payload at ≈5 ms per key and usually ends
 * with Enter or Tab (some send no terminator at all). People type at ≈80–300 ms per key. This class only
 * sees key events (as plain objects) and time; the component wires it to `window` in the capture phase and
 * calls preventDefault + stopImmediatePropagation on every key it claims.
 *
 * Where the key goes (decided by the component):
 * - 'free'     focus is on no text field (body, a button, a link, a drop-down, a checkbox): printable keys are
 *              held (claimed) until we know whether they are a burst (→ payload 'wedge') or a person
 *              (→ 'human-text': the component moves it into the scan box, or uses it to pick an option of a
 *              focused drop-down). A Space with nothing held passes, so it still presses a button or ticks a box.
 * - 'scanbox'  focus is in our scan box: characters go into it as usual; we only time them, so Enter can
 *              say 'wedge' or 'typed', and a fast burst with no terminator is submitted after a quiet gap.
 * - 'field'    another text field (a form being filled): characters go into it as usual and are timed; a burst
 *              (a scanner typing while the cursor sits in a form) becomes a payload from 'field' — its Enter
 *              does not submit the form — and the component puts the field back as it was before the burst
 *              (`onRunStart` tells it when to remember the field). A person's typing there is never taken.
 */
import type { Clock } from './clock';
import { systemClock } from './clock';
import { DuplicateFilter } from './duplicates';

export type KeyLike = {
  key: string;
  /** Auto-repeat of a held key: a person, never a scanner. */
  repeat?: boolean;
  /** When the key was pressed (the event's own time, on the clock's `performance.now()` scale): a busy page that
   *  handles a scanner's keys late still sees them 5 ms apart. Absent: the time they are handled. */
  timeStamp?: number;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  isComposing?: boolean;
};

export type KeyTarget = 'free' | 'scanbox' | 'field';
export type KeyDecision = 'claim' | 'pass';

export type WedgeEvent =
  | { type: 'submit'; raw: string; source: 'wedge' | 'typed'; from: KeyTarget; duplicate: boolean }
  /** Held keys that turned out to be a person typing; `terminated` = they ended with Enter. */
  | { type: 'human-text'; text: string; terminated: boolean };

export type WedgeOptions = {
  onEvent: (event: WedgeEvent) => void;
  /** Current text of the scan box (read when a burst into the box ends without a terminator). */
  readBox?: () => string;
  /** A new run of keys begins (before its first key takes effect): the component remembers a field's text. */
  onRunStart?: (target: KeyTarget) => void;
  clock?: Clock;
  /** Until a burst is established, a gap longer than this means a person (default 80 ms; scanners: ≈5–20 ms). */
  maxKeyGapMs?: number;
  /** A burst's average gap must be at most this (default 35 ms: no person sustains that for 4+ keys). */
  maxAverageGapMs?: number;
  /** Silence after which an unterminated burst is submitted (default 500 ms: long enough that a busy desk PC
   *  stalling mid-burst does not split a scan, short enough for scanners configured without a suffix). */
  quietGapMs?: number;
  /** Shortest burst accepted when it ends in Enter/Tab (default 4). */
  minTerminatedLength?: number;
  /** Shortest burst submitted without a terminator (default 8: a 9-digit CMND is the shortest ID). */
  minUnterminatedLength?: number;
  duplicateWindowMs?: number; // default 2000
};

const IGNORED_KEYS = new Set([
  'Shift',
  'CapsLock',
  'NumLock',
  'Control',
  'Alt',
  'AltGraph',
  'Meta',
  'OS',
  'Dead',
  'Unidentified',
  'Process',
  'Fn',
]);

/** CR, LF and Tab end a scan; browsers report CR as 'Enter'. */
export function isTerminatorKey(key: string): boolean {
  return key === 'Enter' || key === 'Tab' || key === '\r' || key === '\n' || key === '\t';
}

/** A key that inserts one character (not 'Enter', 'ArrowLeft', … and not a modifier). */
export function isPrintableKey(key: string): boolean {
  return Array.from(key).length === 1 && !isTerminatorKey(key);
}

/** `typing`: the run began right after an editing key (an input method such as Unikey rewriting a word, or
 *  expanding a shortcut, types at machine speed after Backspace) — a person's text, never a scan. */
type Run = { target: KeyTarget; chars: string[]; times: number[]; typing?: boolean };

export class WedgeAssembler {
  private run: Run | null = null;
  private lastEditAt = -Infinity; // last Backspace/Delete in a field
  private cancelTimer: (() => void) | null = null;
  private readonly duplicates: DuplicateFilter;
  private readonly clock: Clock;
  private readonly opts: Required<Omit<WedgeOptions, 'clock' | 'readBox' | 'onEvent' | 'onRunStart'>>;

  constructor(private readonly options: WedgeOptions) {
    this.clock = options.clock ?? systemClock;
    this.opts = {
      maxKeyGapMs: options.maxKeyGapMs ?? 80,
      maxAverageGapMs: options.maxAverageGapMs ?? 35,
      quietGapMs: options.quietGapMs ?? 500,
      minTerminatedLength: options.minTerminatedLength ?? 4,
      minUnterminatedLength: options.minUnterminatedLength ?? 8,
      duplicateWindowMs: options.duplicateWindowMs ?? 2000,
    };
    this.duplicates = new DuplicateFilter({ windowMs: this.opts.duplicateWindowMs, now: () => this.clock.now() });
  }

  handleKeyDown(ev: KeyLike, target: KeyTarget): KeyDecision {
    if (ev.isComposing) return 'pass';
    if (IGNORED_KEYS.has(ev.key)) return this.run?.target === 'free' ? 'claim' : 'pass'; // Shift inside a held burst
    if (ev.ctrlKey || ev.altKey || ev.metaKey || ev.repeat) {
      this.releaseHeld(false);
      this.endRun();
      return 'pass';
    }
    const now = ev.timeStamp ?? this.clock.now();
    if (target === 'free') return this.freeKey(ev.key, now);
    if (target === 'field') return this.fieldKey(ev.key, now);
    return this.scanboxKey(ev.key, now);
  }

  /** A submission made without keys (the box's button): same duplicate rule, source 'typed'. */
  submitTyped(raw: string): void {
    this.endRun();
    if (raw.trim() !== '') this.submit(raw, 'typed', 'scanbox');
  }

  /** Stop timers (component unmount). */
  dispose(): void {
    this.endRun();
  }

  private freeKey(key: string, now: number): KeyDecision {
    if (this.run && this.run.target !== 'free') this.endRun();
    const run = this.run;
    if (key === ' ' && !run) return 'pass'; // presses the focused button, ticks the focused box
    if (isPrintableKey(key)) {
      if (!run) {
        this.startRun('free', key, now);
      } else if (now - lastOf(run.times) > this.opts.maxKeyGapMs && !this.established(run)) {
        run.chars.push(key);
        this.releaseHeld(false); // a slow key: a person typing
      } else {
        run.chars.push(key);
        run.times.push(now);
        this.armQuietTimer();
      }
      return 'claim';
    }
    if (isTerminatorKey(key)) {
      if (!run) return 'pass'; // Enter/Tab on a button or link keeps working
      run.times.push(now);
      if (this.isBurst(run.times, this.opts.minTerminatedLength + 1)) {
        const raw = run.chars.join('');
        this.endRun();
        this.submit(raw, 'wedge', 'free');
      } else {
        this.releaseHeld(true);
      }
      return 'claim';
    }
    this.releaseHeld(false); // Backspace, arrows, Escape…: a person
    return 'pass';
  }

  /** Another text field: keys reach it; only a scanner-speed run is taken back out (see the header). */
  private fieldKey(key: string, now: number): KeyDecision {
    if (this.run && this.run.target !== 'field') {
      this.releaseHeld(false);
      this.endRun();
    }
    const run = this.run;
    if (isPrintableKey(key)) {
      if (!run || (now - lastOf(run.times) > this.opts.maxKeyGapMs && !this.established(run))) {
        this.startRun('field', key, now);
        if (now - this.lastEditAt <= this.opts.maxKeyGapMs) this.run!.typing = true;
      } else {
        run.chars.push(key);
        run.times.push(now);
        this.armQuietTimer();
      }
      return 'pass';
    }
    if (
      isTerminatorKey(key) &&
      run &&
      !run.typing &&
      this.isBurst([...run.times, now], this.opts.minTerminatedLength + 1)
    ) {
      const raw = run.chars.join('');
      this.endRun();
      this.submit(raw, 'wedge', 'field');
      return 'claim'; // the scanner's Enter must not submit the form
    }
    if (key === 'Backspace' || key === 'Delete') this.lastEditAt = now;
    this.endRun(); // a person's Enter, Tab, Backspace…
    return 'pass';
  }

  private scanboxKey(key: string, now: number): KeyDecision {
    if (this.run && this.run.target !== 'scanbox') {
      this.releaseHeld(false);
      this.endRun();
    }
    const run = this.run;
    if (isPrintableKey(key)) {
      if (!run || (now - lastOf(run.times) > this.opts.maxKeyGapMs && !this.established(run)))
        this.startRun('scanbox', key, now);
      else {
        run.chars.push(key);
        run.times.push(now);
        this.armQuietTimer();
      }
      return 'pass'; // the character goes into the box
    }
    if (isTerminatorKey(key)) {
      const value = this.readBox();
      if (value.trim() === '') {
        this.endRun();
        return key === 'Enter' ? 'claim' : 'pass'; // Tab out of an empty box still moves focus
      }
      const wedge =
        run !== null && this.burstFilledBox(run, [...run.times, now], this.opts.minTerminatedLength + 1, value);
      this.endRun();
      if (!wedge && key !== 'Enter' && key !== '\r') return 'pass'; // a person pressing Tab moves on
      this.submit(value, wedge ? 'wedge' : 'typed', 'scanbox');
      return 'claim';
    }
    this.endRun(); // editing keys: a person
    return 'pass';
  }

  private startRun(target: Run['target'], key: string, now: number) {
    this.endRun();
    this.options.onRunStart?.(target);
    this.run = { target, chars: [key], times: [now] };
    this.armQuietTimer();
  }

  private armQuietTimer() {
    this.cancelTimer?.();
    this.cancelTimer = this.clock.setTimer(() => this.onQuiet(), this.opts.quietGapMs);
  }

  private onQuiet() {
    this.cancelTimer = null;
    const run = this.run;
    if (!run) return;
    if (run.target === 'free') {
      if (this.isBurst(run.times, this.opts.minUnterminatedLength)) {
        this.endRun();
        this.submit(run.chars.join(''), 'wedge', 'free');
      } else this.releaseHeld(false);
      return;
    }
    if (run.target === 'field') {
      this.endRun();
      if (!run.typing && this.isBurst(run.times, this.opts.minUnterminatedLength))
        this.submit(run.chars.join(''), 'wedge', 'field');
      return;
    }
    const value = this.readBox();
    this.endRun();
    if (this.burstFilledBox(run, run.times, this.opts.minUnterminatedLength, value))
      this.submit(value, 'wedge', 'scanbox');
  }

  /** A fast run that typed (at least) everything now in the box. */
  private burstFilledBox(run: Run, times: number[], minKeys: number, value: string): boolean {
    return run.target === 'scanbox' && this.isBurst(times, minKeys) && run.chars.length >= Array.from(value).length;
  }

  /**
   * Scanner speed over the whole run. A single long gap is allowed (up to the quiet gap, after which the
   * timer ends the run): a busy main thread or USB hiccup can stall a real burst, and a person cannot make
   * the average fast.
   */
  private isBurst(times: number[], minKeys: number): boolean {
    if (times.length < minKeys || times.length < 2) return false;
    return (lastOf(times) - times[0]!) / (times.length - 1) <= this.opts.maxAverageGapMs;
  }

  /** Enough fast keys to be sure a scanner is typing: from here a slow gap no longer means a person. */
  private established(run: Run): boolean {
    return this.isBurst(run.times, this.opts.minTerminatedLength);
  }

  private releaseHeld(terminated: boolean) {
    const run = this.run;
    if (!run || run.target !== 'free') return;
    this.endRun();
    this.options.onEvent({ type: 'human-text', text: run.chars.join(''), terminated });
  }

  private endRun() {
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.run = null;
  }

  private readBox(): string {
    return this.options.readBox?.() ?? '';
  }

  private submit(raw: string, source: 'wedge' | 'typed', from: KeyTarget) {
    const duplicate = !this.duplicates.accept(raw);
    this.options.onEvent({ type: 'submit', raw, source, from, duplicate });
  }
}

function lastOf(times: number[]): number {
  return times[times.length - 1]!;
}
