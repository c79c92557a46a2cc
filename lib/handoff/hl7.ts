import { Hl7Context, Hl7Field, Hl7Message, Hl7Segment } from '@medplum/core';
import {
  identifier,
  mergeIdentifier,
  vnTimestamp,
  type HandoffSnapshot,
  type MergePatient,
  type MergeSnapshot,
} from './snapshot';
import type { HandoffEvent } from './outbox';
import { CONTROL_CHARS } from '../identity/normalize';

/**
 * HL7 v2.5.1 ADT messages for the HIS (spec his-handoff.md §5): A04 when an encounter opens, A08 when patient
 * or coverage data change, A11 when a check-in is cancelled. Segments are separated by CR (MLLP framing is
 * added by the transport). Original-mode ACKs: MSH-15/16 left empty.
 */

/**
 * Escapes the HL7 delimiters inside a value (| ^ ~ \ &), turns line breaks and tabs into spaces and drops other
 * control characters (0x0B/0x1C are MLLP's frame bytes) and lone surrogates. Inputs are cleaned where they enter
 * (lib/validation.ts `text()`); this holds for data that came another way (older rows, HIS-supplied codes).
 */
export function esc(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value)
    .replace(CONTROL_CHARS, '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/\\/g, '\\E\\')
    .replace(/\|/g, '\\F\\')
    .replace(/\^/g, '\\S\\')
    .replace(/~/g, '\\R\\')
    .replace(/&/g, '\\T\\');
}

/** The standard's separators: segments by CR, then | ^ ~ \ & (MSH-1 and MSH-2 as every HIS expects them). */
const ENCODING = new Hl7Context();

function ts(date: Date): string {
  return `${vnTimestamp(date)}+0700`;
}

function splitName(fullName: string): { family: string; given: string } {
  const parts = fullName.trim().split(/\s+/);
  return { family: parts[0] ?? '', given: parts.slice(1).join(' ') };
}

/** One value per field or component, escaped (`esc`); a field's components by their HL7 number (XPN.7 is 7). */
type Value = string | null | undefined;
type FieldValue = Value | Hl7Field;

/** A field of one repetition: `{ 1: family, 2: given, 7: 'L' }` → `family^given^^^^^L`. */
function components(values: Record<number, Value>): Hl7Field {
  const field = new Hl7Field([['']], ENCODING);
  for (const [n, value] of Object.entries(values)) field.setComponent(Number(n), esc(value));
  return field;
}

/** A repeating field (`~` between repetitions), e.g. the identifier list. */
function repetitions(fields: Hl7Field[]): Hl7Field {
  return new Hl7Field(
    fields.map((f) => f.components[0]!),
    ENCODING,
  );
}

/**
 * A segment with its fields at their HL7 numbers (PID-3 is 3, MSH-10 is 10: the accessor knows MSH-1 is the field
 * separator itself). Fields not given are empty; every field up to the highest number given is written.
 */
function segment(name: string, fields: Record<number, FieldValue>): Hl7Segment {
  const seg = new Hl7Segment(
    name === 'MSH' ? [new Hl7Field([[name]]), new Hl7Field([[ENCODING.getMsh2()]])] : [new Hl7Field([[name]])],
    ENCODING,
  );
  for (const [n, value] of Object.entries(fields))
    seg.setField(Number(n), value instanceof Hl7Field ? value : new Hl7Field([[esc(value)]], ENCODING));
  return seg;
}

/** CX: value^^^assigning authority^identifier type (PID-3, MRG-1, PV1-19). */
const cx = (value: string, authority: string, type: string) => components({ 1: value, 4: authority, 5: type });
/** XPN, legal name (PID-5, MRG-7): family^given^^^^^L. */
const xpn = (fullName: string) => {
  const n = splitName(fullName);
  return components({ 1: n.family, 2: n.given, 7: 'L' });
};
/** XAD, home address in Vietnam (PID-11): the whole address as street^^^^^VNM^H, or empty. */
const xad = (address: string | null) => (address ? components({ 1: address, 6: 'VNM', 7: 'H' }) : '');
/** XTN, personal phone (PID-13): ^PRN^PH^…^number (XTN-12, the unformatted number), or empty. */
const xtn = (phone: string | null) => (phone ? components({ 2: 'PRN', 3: 'PH', 12: phone }) : '');

/**
 * PID-3 (and MRG-1) repetitions: hospital code (MR, the facility as assigning authority), personal ID (NNVNM), old
 * CMND (NI), BHYT card (SB).
 */
function identifierList(
  get: (system: string) => string | null,
  patientId: string,
  facilityCode: string,
  card: string | null,
): Hl7Field {
  const list: Hl7Field[] = [];
  // Without a hospital code from the HIS, our own patient id is the facility-local record number.
  list.push(cx(get('HOSPITAL_CODE') ?? patientId, facilityCode, 'MR'));
  const personalId = get('PERSONAL_ID');
  if (personalId) list.push(cx(personalId, 'BCA', 'NNVNM'));
  const cmnd = get('CMND');
  if (cmnd) list.push(cx(cmnd, 'BCA', 'NI'));
  if (card) list.push(cx(card, 'BHXH', 'SB'));
  return repetitions(list);
}

function patientIdentifiers(s: HandoffSnapshot): Hl7Field {
  return identifierList(
    (system) => identifier(s, system),
    s.patient.id,
    s.facility.code,
    s.coverage?.cardCode ?? identifier(s, 'BHYT_CARD'),
  );
}

/** XCN of the receptionist (EVN-5): username^family^given, or empty. */
function operatorField(operator: { username: string; fullName: string } | null): FieldValue {
  if (!operator) return '';
  const name = splitName(operator.fullName);
  return components({ 1: operator.username, 2: name.family, 3: name.given });
}

/** MSH for an ADT event of this facility; MSH-15/16 (enhanced-mode ACKs) stay empty: original mode. */
function msh(facilityCode: string, event: string, structure: string, controlId: string, now: Date): Hl7Segment {
  return segment('MSH', {
    3: 'RECEPTION',
    4: facilityCode,
    5: 'HIS',
    6: facilityCode,
    7: ts(now),
    9: components({ 1: 'ADT', 2: event, 3: structure }),
    10: controlId,
    11: 'P',
    12: '2.5.1',
    17: 'VNM',
    18: 'UNICODE UTF-8',
  });
}

type PidFacts = {
  fullName: string;
  birthDate: string | null;
  sex: 'M' | 'F' | null;
  address: string | null;
  phone: string | null;
};
function pid(p: PidFacts, identifiers: Hl7Field): Hl7Segment {
  return segment('PID', {
    1: '1',
    3: identifiers,
    5: xpn(p.fullName),
    7: hl7Date(p.birthDate),
    8: p.sex ?? 'U',
    11: xad(p.address),
    13: xtn(p.phone),
  });
}

/**
 * ADT^A40 (merge patient — patient identifier list, structure ADT_A39): PID is the surviving record, MRG-1 the
 * merged record's identifiers and MRG-7 its name, both as the HIS knew them before the merge (spec §5.1 lists A40
 * with the other ADT events; the v2.5.1 segment layout is the standard's). No PV1: a merge is not a visit.
 */
export function buildA40(s: MergeSnapshot, controlId: string, now = new Date()): string {
  const ids = (p: MergePatient) =>
    identifierList((system) => mergeIdentifier(p, system), p.id, s.facility.code, mergeIdentifier(p, 'BHYT_CARD'));
  return new Hl7Message(
    [
      msh(s.facility.code, 'A40', 'ADT_A39', controlId, now),
      segment('EVN', { 1: 'A40', 2: ts(now), 5: operatorField(s.operator) }),
      pid(s.survivor, ids(s.survivor)),
      segment('MRG', { 1: ids(s.merged), 7: xpn(s.merged.fullName) }),
    ],
    ENCODING,
  ).toString();
}

function hl7Date(d: string | null): string {
  return d ? d.replace(/-/g, '') : '';
}

export function buildAdt(s: HandoffSnapshot, event: HandoffEvent, controlId: string, now = new Date()): string {
  const structure = event === 'A11' ? 'ADT_A09' : 'ADT_A01';
  const facility = s.facility.code;
  const emergency = s.encounter.visitType === 'EMERGENCY';
  const checkedIn = ts(s.encounter.checkedInAt);

  const segments = [
    msh(facility, event, structure, controlId, now),
    segment('EVN', { 1: event, 2: ts(now), 5: operatorField(s.operator), 6: checkedIn }),
    pid(s.patient, patientIdentifiers(s)),
    segment('PV1', {
      1: '1',
      2: emergency ? 'E' : 'O', // patient class
      3: components({ 1: s.encounter.room.department, 2: s.encounter.room.code, 4: facility }), // PL: point of care^room^^facility
      4: emergency ? 'E' : 'R', // admission type
      19: cx(s.encounter.number, facility, 'VN'), // visit number
      20: s.encounter.payer === 'BHYT' ? 'BHYT' : 'VP', // financial class
      44: checkedIn, // admit date/time
    }),
  ];
  if (event !== 'A11' && s.encounter.payer === 'BHYT' && s.coverage?.cardCode) {
    segments.push(
      segment('IN1', {
        1: '1',
        2: components({ 1: 'BHYT', 2: 'Bảo hiểm y tế', 3: 'L' }), // insurance plan
        3: 'BHXHVN', // company id
        4: 'Bảo hiểm xã hội Việt Nam',
        12: hl7Date(s.coverage.validFrom),
        13: hl7Date(s.coverage.validTo),
        36: s.coverage.cardCode, // policy number
      }),
    );
  }
  return new Hl7Message(segments, ENCODING).toString();
}

export type AckResult = {
  code: 'AA' | 'AE' | 'AR' | 'CA' | 'CE' | 'CR' | string;
  ackedControlId: string;
  text: string | null;
  hisRef: string | null;
};

/** Reads MSA-1 (code), MSA-2 (acked control id), MSA-3 / ERR (text) and the ACK's own MSH-10 (HIS reference). */
export function parseAck(raw: string): AckResult {
  const text = raw.replace(/^[\r\n]+/, '');
  // A reply that does not start with MSH is no ACK, but an MSA in it is still read (as the HIS meant it).
  const message = text.startsWith('MSH')
    ? Hl7Message.parse(text)
    : new Hl7Message(
        text.split(/[\r\n]+/).map((line) => Hl7Segment.parse(line, ENCODING)),
        ENCODING,
      );
  const field = (segment: string, n: number) => message.getSegment(segment)?.getField(n)?.toString() ?? '';
  // ERR-3 (v2.5) is the error code CWE "code^text^table"; ERR-8 is the user message. Prefer the readable part.
  const err = message.getSegment('ERR');
  const errText = err ? field('ERR', 8) || err.getComponent(3, 2) || field('ERR', 3) || null : null;
  return {
    code: field('MSA', 1).toUpperCase(),
    ackedControlId: field('MSA', 2),
    text: field('MSA', 3) || errText || null,
    hisRef: field('MSH', 10) || null,
  };
}
