/**
 * Priority at the desk (Luật Khám bệnh, chữa bệnh 2023, Art. 47 order of priority, as applied by hospitals'
 * queue lanes: emergency, children under 6, people aged 75 or more, revolutionary contributors, pregnant women,
 * people with severe disabilities). The app suggests what it can know; staff add what only they can see.
 */
import type { Priority, VisitType } from '../codes';

// BHYT groups of revolutionary contributors and their relatives who get priority (spec §3.3: CC, CK, CB, KC, TS).
const MERIT_GROUPS = new Set(['CC', 'CK', 'CB', 'KC', 'TS']);

/** Whole years between a birth date ('YYYY-MM-DD' or 'YYYY') and a local day 'YYYY-MM-DD'. */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (birthDate.length < 10) return years; // year only: the best we can say
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

export function suggestPriority(input: {
  birthDate: string;
  day: string;
  bhytGroup?: string | null;
  visitType?: VisitType;
}): Priority {
  if (input.visitType === 'EMERGENCY') return 'EMERGENCY';
  const age = ageOn(input.birthDate, input.day);
  if (age < 6 || input.bhytGroup === 'TE') return 'CHILD';
  if (age >= 75) return 'ELDERLY';
  if (input.bhytGroup && MERIT_GROUPS.has(input.bhytGroup)) return 'MERIT';
  return 'NORMAL';
}
