'use client';

import type { HTMLAttributes } from 'react';
import type {
  BhytVerification,
  CheckinChannel,
  EncounterStatus,
  HandoffStatus,
  IdentificationMethod,
  Payer,
  Priority,
  VisitType,
} from '@/lib/codes';
import type { HandoffState } from '@/lib/handoff/status';
import { fill } from '@/lib/i18n/messages';
import { useT } from './i18n';

type Tone = 'neutral' | 'info' | 'success' | 'waiting' | 'held' | 'rejected' | 'danger' | 'priority';

const TONE_CLASS: Record<Tone, string> = {
  neutral: 'bg-slate-100 text-slate-800 border-slate-300',
  info: 'bg-sky-50 text-sky-900 border-sky-300',
  success: 'bg-emerald-50 text-emerald-900 border-emerald-300',
  waiting: 'bg-amber-50 text-amber-900 border-amber-300',
  held: 'bg-amber-50 text-amber-900 border-amber-400',
  rejected: 'bg-orange-50 text-orange-900 border-orange-400',
  danger: 'bg-red-50 text-red-900 border-red-400',
  priority: 'bg-rose-100 text-rose-900 border-rose-300',
};

/**
 * The tone of every value of every family of codes drawn as a badge. Each map is exhaustive: a value added to a
 * stored code is a compile error here until it is given a tone (its label: the catalogue, lib/i18n/vi.ts).
 */
const TONES = {
  handoffState: {
    none: 'neutral',
    waiting: 'waiting',
    sent: 'info',
    accepted: 'success',
    rejected: 'rejected',
    parked: 'danger',
    held: 'held',
    'no-target': 'neutral',
  } satisfies Record<HandoffState, Tone>,
  handoffStatus: {
    PENDING: 'waiting',
    SENDING: 'info',
    DELIVERED: 'success',
    FAILED: 'rejected',
    PARKED: 'danger',
    WAITING_CONNECTION: 'held',
    WAITING_CONFIG: 'neutral',
  } satisfies Record<HandoffStatus, Tone>,
  encounterStatus: {
    REGISTERED: 'neutral',
    CHECKED_IN: 'info',
    IN_SERVICE: 'info',
    FINISHED: 'success',
    CANCELLED: 'neutral',
  } satisfies Record<EncounterStatus, Tone>,
  bhytVerification: { UNVERIFIED: 'waiting', VERIFIED: 'success', REJECTED: 'waiting' } satisfies Record<
    BhytVerification,
    Tone
  >,
  method: {
    CCCD_QR: 'neutral',
    VNEID: 'neutral',
    BHYT_QR: 'neutral',
    TYPED_ID: 'neutral',
    TYPED_BHYT: 'neutral',
    MANUAL: 'neutral',
  } satisfies Record<IdentificationMethod, Tone>,
  payer: { BHYT: 'neutral', SELF_PAY: 'neutral' } satisfies Record<Payer, Tone>,
  channel: { DESK: 'neutral', KIOSK: 'neutral', API: 'neutral' } satisfies Record<CheckinChannel, Tone>,
  visitType: { OUTPATIENT: 'neutral', EMERGENCY: 'danger' } satisfies Record<VisitType, Tone>,
  priority: {
    NORMAL: 'neutral',
    EMERGENCY: 'priority',
    CHILD: 'priority',
    ELDERLY: 'priority',
    MERIT: 'priority',
    PREGNANT: 'priority',
    DISABILITY: 'priority',
  } satisfies Record<Priority, Tone>,
};

export type BadgeFamily = keyof typeof TONES;
export type BadgeCode<F extends BadgeFamily> = keyof (typeof TONES)[F];

/**
 * The one way to draw a stored code (or the hand-off state derived from one) as a badge: its label from the
 * catalogue in the page's language, its colour from its value. `template`: a catalogue template that places the
 * label, named after the family (e.g. 'Ưu tiên: {priority}'); `children` follow the label (e.g. a reason).
 */
export function CodeBadge<F extends BadgeFamily>({
  family,
  code,
  template,
  children,
  className = '',
  ...rest
}: {
  family: F;
  code: BadgeCode<F>;
  template?: string;
  children?: React.ReactNode;
  className?: string;
} & Omit<HTMLAttributes<HTMLSpanElement>, 'children' | 'className'>) {
  const t = useT();
  const labels: Record<string, string> =
    family === 'handoffState' ? t.handoff.state : t.codes[family as Exclude<BadgeFamily, 'handoffState'>];
  const label = labels[code as string] ?? String(code);
  const tone = (TONES[family] as Record<string, Tone>)[code as string] ?? 'neutral';
  return (
    <span
      data-code={String(code)}
      className={`inline-flex items-center rounded-full border px-2 py-0.5 ${TONE_CLASS[tone]} ${className}`}
      {...rest}
    >
      {template ? fill(template, { [family]: label }) : label}
      {children}
    </span>
  );
}
