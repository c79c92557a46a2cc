/**
 * A rule of the domain was broken: what lib/ throws when it refuses a request. `message` is Vietnamese and safe
 * to show; `code` is for programs (e.g. `OUTSIDE_FACILITY`); `details` go beside them in the answer. lib/ knows
 * nothing of HTTP: `apiRoute` (app/_lib/guard.ts) alone turns a kind into a status.
 */
export type DomainErrorKind = 'invalid' | 'not-found' | 'conflict' | 'forbidden';

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
