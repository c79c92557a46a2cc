import { identifier, vnTimestamp, type HandoffSnapshot } from './snapshot';
import type { HandoffEvent } from './outbox';

/**
 * HL7 v2.5.1 ADT messages for the HIS (spec his-handoff.md §5): A04 when an encounter opens, A08 when patient
 * or coverage data change, A11 when a check-in is cancelled. Segments are separated by CR (MLLP framing is
 * added by the transport). Original-mode ACKs: MSH-15/16 left empty.
 */

/** Escapes the HL7 delimiters inside a value (| ^ ~ \ &) and removes line breaks. */
export function esc(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value)
    .replace(/\\/g, '\\E\\')
    .replace(/\|/g, '\\F\\')
    .replace(/\^/g, '\\S\\')
    .replace(/~/g, '\\R\\')
    .replace(/&/g, '\\T\\')
    .replace(/[\r\n]+/g, ' ');
}

function ts(date: Date): string {
  return `${vnTimestamp(date)}+0700`;
}

function splitName(fullName: string): { family: string; given: string } {
  const parts = fullName.trim().split(/\s+/);
  return { family: parts[0] ?? '', given: parts.slice(1).join(' ') };
}

/** PID-3 repetitions: hospital code (MR), personal ID (NNVNM), old CMND (NI), BHYT card (SB). */
function patientIdentifiers(s: HandoffSnapshot): string {
  const cx = (value: string, authority: string, type: string) => `${esc(value)}^^^${esc(authority)}^${type}`;
  const list: string[] = [];
  // Without a hospital code from the HIS, our own patient id is the facility-local record number.
  list.push(cx(identifier(s, 'HOSPITAL_CODE') ?? s.patient.id, s.facility.code, 'MR'));
  const personalId = identifier(s, 'PERSONAL_ID');
  if (personalId) list.push(cx(personalId, 'BCA', 'NNVNM'));
  const cmnd = identifier(s, 'CMND');
  if (cmnd) list.push(cx(cmnd, 'BCA', 'NI'));
  const card = s.coverage?.cardCode ?? identifier(s, 'BHYT_CARD');
  if (card) list.push(cx(card, 'BHXH', 'SB'));
  return list.join('~');
}

function hl7Date(d: string | null): string {
  return d ? d.replace(/-/g, '') : '';
}

export function buildAdt(s: HandoffSnapshot, event: HandoffEvent, controlId: string, now = new Date()): string {
  const structure = event === 'A11' ? 'ADT_A09' : 'ADT_A01';
  const facility = esc(s.facility.code);
  const name = splitName(s.patient.fullName);
  const sex = s.patient.sex ?? 'U';
  const patientClass = s.encounter.visitType === 'EMERGENCY' ? 'E' : 'O';
  const admissionType = s.encounter.visitType === 'EMERGENCY' ? 'E' : 'R';
  const financialClass = s.encounter.payer === 'BHYT' ? 'BHYT' : 'VP';
  const checkedIn = ts(s.encounter.checkedInAt);
  const operator = s.operator ? `${esc(s.operator.username)}^${esc(splitName(s.operator.fullName).family)}^${esc(splitName(s.operator.fullName).given)}` : '';

  const msh = ['MSH', '^~\\&', 'RECEPTION', facility, 'HIS', facility, ts(now), '', `ADT^${event}^${structure}`, esc(controlId), 'P', '2.5.1', '', '', '', '', 'VNM', 'UNICODE UTF-8'];
  const evn = ['EVN', event, ts(now), '', '', operator, checkedIn];
  const pid: string[] = ['PID', '1', '', patientIdentifiers(s), '', `${esc(name.family)}^${esc(name.given)}^^^^^L`, '', hl7Date(s.patient.birthDate), sex];
  pid[11] = s.patient.address ? `${esc(s.patient.address)}^^^^^VNM^H` : '';
  pid[13] = s.patient.phone ? `^PRN^PH^^^^^^^^^${esc(s.patient.phone)}` : '';
  const pv1: string[] = ['PV1', '1', patientClass, `${esc(s.encounter.room.department)}^${esc(s.encounter.room.code)}^^${facility}`, admissionType];
  pv1[19] = `${esc(s.encounter.number)}^^^${facility}^VN`;
  pv1[20] = financialClass;
  pv1[44] = checkedIn;
  const segments = [msh, evn, pid, fill(pv1)];
  if (event !== 'A11' && s.encounter.payer === 'BHYT' && s.coverage?.cardCode) {
    const in1: string[] = ['IN1', '1', 'BHYT^Bảo hiểm y tế^L', 'BHXHVN', 'Bảo hiểm xã hội Việt Nam'];
    in1[12] = hl7Date(s.coverage.validFrom);
    in1[13] = hl7Date(s.coverage.validTo);
    in1[36] = esc(s.coverage.cardCode);
    segments.push(fill(in1));
  }
  return segments.map((seg) => fill(seg).join('|')).join('\r');
}

/** Sparse arrays (fields set by index) → empty strings, so join('|') keeps the field positions. */
function fill(fields: string[]): string[] {
  return Array.from({ length: fields.length }, (_, i) => fields[i] ?? '');
}

export type AckResult = { code: 'AA' | 'AE' | 'AR' | 'CA' | 'CE' | 'CR' | string; ackedControlId: string; text: string | null; hisRef: string | null };

/** Reads MSA-1 (code), MSA-2 (acked control id), MSA-3 / ERR (text) and the ACK's own MSH-10 (HIS reference). */
export function parseAck(raw: string): AckResult {
  const segments = raw.split(/\r\n?|\n/).filter(Boolean).map((line) => line.split('|'));
  const msh = segments.find((s) => s[0] === 'MSH');
  const msa = segments.find((s) => s[0] === 'MSA');
  const err = segments.find((s) => s[0] === 'ERR');
  // ERR-3 (v2.5) is the error code CWE "code^text^table"; ERR-8 is the user message. Prefer the readable part.
  const errText = err ? err[8] || err[3]?.split('^')[1] || err[3] || null : null;
  return {
    code: (msa?.[1] ?? '').toUpperCase(),
    ackedControlId: msa?.[2] ?? '',
    text: msa?.[3] || errText || null,
    hisRef: msh?.[9] || null,
  };
}
