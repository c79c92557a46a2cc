/**
 * Drops a payload seen again shortly after (a scanner's double beep, a camera that sees the same card on
 * every frame). Time is injected so tests are deterministic.
 */
export type DuplicateFilterOptions = {
  windowMs?: number; // default 2000 ms
  /** Each repeat restarts the window (camera: a card held in view is read once until it leaves for windowMs). */
  sliding?: boolean;
  now?: () => number;
};

export class DuplicateFilter {
  private last: { raw: string; at: number } | null = null;
  private readonly windowMs: number;
  private readonly sliding: boolean;
  private readonly now: () => number;

  constructor(options: DuplicateFilterOptions = {}) {
    this.windowMs = options.windowMs ?? 2000;
    this.sliding = options.sliding ?? false;
    this.now = options.now ?? Date.now;
  }

  /** True when `raw` should be delivered; false when it repeats the previous payload within the window. */
  accept(raw: string): boolean {
    const at = this.now();
    const repeat = this.last !== null && this.last.raw === raw && at - this.last.at <= this.windowMs;
    if (!repeat || this.sliding) this.last = { raw, at };
    return !repeat;
  }

  reset(): void {
    this.last = null;
  }
}
