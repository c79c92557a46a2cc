import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AUDIT_ACTIONS,
  CHECKIN_CHANNELS,
  COUNTER_REASONS,
  ENCOUNTER_STATUSES,
  HANDOFF_OUTCOMES,
  HANDOFF_STATUSES,
  HELPDESK_OUTCOMES,
  HELPDESK_SERVICES,
  IDENTIFICATION_METHODS,
  IDENTIFIER_SYSTEMS,
  isCode,
  PAYERS,
  PRIORITIES,
  PURPOSES,
  unhandled,
  VISIT_TYPES,
  type HandoffStatus,
  type IdentificationMethod,
} from './codes';
import { HANDOFF_STATES, stateOf } from './handoff/status';
import { LANGS, MESSAGES } from './i18n/messages';

describe('one vocabulary (lib/codes.ts)', () => {
  it('has a label for every value of every stored code a person sees, in every language', () => {
    for (const lang of LANGS) {
      const codes = MESSAGES[lang].codes;
      const families: [readonly string[], Record<string, string>][] = [
        [IDENTIFICATION_METHODS, codes.method],
        [IDENTIFIER_SYSTEMS, codes.identifier],
        [PAYERS, codes.payer],
        [VISIT_TYPES, codes.visitType],
        [CHECKIN_CHANNELS, codes.channel],
        [HANDOFF_STATUSES, codes.handoffStatus],
        [ENCOUNTER_STATUSES, codes.encounterStatus],
        [PRIORITIES, codes.priority],
        [COUNTER_REASONS, codes.counterReason],
        [HELPDESK_SERVICES, codes.helpdeskService],
        [HELPDESK_OUTCOMES, codes.helpdeskOutcome],
        [PURPOSES, codes.purpose],
        [HANDOFF_OUTCOMES, MESSAGES[lang].handoff.outcome],
        [HANDOFF_STATES, MESSAGES[lang].handoff.state],
      ];
      for (const [values, labels] of families) {
        expect(Object.keys(labels).sort()).toEqual([...values].sort());
        for (const v of values) expect(labels[v]?.trim()).toBeTruthy();
      }
      // The audit trail's labels name real actions (any other shows `auditOther`).
      for (const action of Object.keys(codes.auditAction)) expect(AUDIT_ACTIONS).toContain(action);
    }
  });

  it('words a hand-off the same way whether it shows the stored status or the state derived from it', () => {
    for (const lang of LANGS) {
      const { codes, handoff } = MESSAGES[lang];
      for (const status of HANDOFF_STATUSES) {
        if (status === 'FAILED') continue; // the HIS answered no ("rejected") or did not answer ("held")
        expect(handoff.state[stateOf(status, null)]).toBe(codes.handoffStatus[status]);
      }
    }
    expect(MESSAGES.vi.codes.handoffStatus.PARKED).toBe('Tạm dừng — cần xử lý');
  });

  it('tells a stored value from anything else', () => {
    expect(isCode(IDENTIFICATION_METHODS, 'VNEID')).toBe(true);
    expect(isCode(IDENTIFICATION_METHODS, 'vneid')).toBe(false);
    expect(isCode(IDENTIFICATION_METHODS, 3)).toBe(false);
    expect(() => unhandled('NEW' as never)).toThrow('Unhandled code: NEW');
  });
});

// ---- Compile-time: checked by `tsc --noEmit` (npm test), which fails if an expected error does not happen. ----
// A value added to a stored code (here "ARCHIVED" to HandoffStatus, as adding it to schema.prisma would do) is a
// compile error wherever the code is not handled: the catalogue's label maps and every exhaustive switch.
type HandoffStatusPlusOne = HandoffStatus | 'ARCHIVED';

expectTypeOf(MESSAGES.vi.codes.handoffStatus).toEqualTypeOf<Record<HandoffStatus, string>>();
expectTypeOf(MESSAGES.en.codes.method).toEqualTypeOf<Record<IdentificationMethod, string>>();

// @ts-expect-error -- the catalogue has no label for ARCHIVED
export const labelsOfNewValue: Record<HandoffStatusPlusOne, string> = MESSAGES.vi.codes.handoffStatus;

export function describeStatus(status: HandoffStatusPlusOne): string {
  switch (status) {
    case 'PENDING':
    case 'SENDING':
    case 'FAILED':
    case 'WAITING_CONNECTION':
    case 'WAITING_CONFIG':
      return 'on its way';
    case 'DELIVERED':
      return 'delivered';
    case 'PARKED':
      return 'needs staff';
    default:
      // @ts-expect-error -- ARCHIVED is not handled, so `status` is not `never` here
      return unhandled(status);
  }
}

export function describeKnownStatus(status: HandoffStatus): string {
  switch (status) {
    case 'PENDING':
    case 'SENDING':
    case 'FAILED':
    case 'WAITING_CONNECTION':
    case 'WAITING_CONFIG':
      return 'on its way';
    case 'DELIVERED':
      return 'delivered';
    case 'PARKED':
      return 'needs staff';
    default:
      return unhandled(status); // every value handled: compiles
  }
}
