import type { Env } from './config';
import { randomUUID } from 'node:crypto';
import { identifier, vnIso, type HandoffSnapshot } from './snapshot';
import type { HandoffEvent } from './outbox';

/**
 * FHIR R4 transaction Bundle for the HIS (spec his-handoff.md §7): Patient + Coverage + Encounter
 * (status arrived, class AMB/EMER). Conditional create (`ifNoneExist`) on business identifiers makes a replay
 * create nothing new. A08 and A11 use conditional update (`PUT Encounter?identifier=…`).
 *
 * The Vietnamese identifier systems come from draft IGs (uncertain, spec §7.2): VN Core by default,
 * `FHIR_ID_PROFILE=moh` for the MoH-IT draft, and each one overridable with FHIR_SYSTEM_<NAME>.
 */
export type FhirSystems = { cccd: string; cmnd: string; bhyt: string; maLk: string; mrn: (facility: string) => string; cskcb: string };

const PROFILES: Record<'vncore' | 'moh', Omit<FhirSystems, 'mrn'> & { mrnPrefix: string }> = {
  vncore: {
    cccd: 'http://fhir.hl7.org.vn/core/sid/cccd',
    cmnd: 'http://fhir.hl7.org.vn/core/sid/cmnd',
    bhyt: 'http://fhir.hl7.org.vn/core/sid/bhyt',
    maLk: 'http://fhir.hl7.org.vn/core/sid/ma-lk',
    cskcb: 'urn:vn:bhxh:ma-cskcb', // placeholder system (spec §7.4)
    mrnPrefix: 'urn:vn:cskcb:', // placeholder: `urn:vn:cskcb:<code>:ma-bn`
  },
  moh: {
    cccd: 'http://fhir.ehealth.gov.vn/core/sid/national_id',
    cmnd: 'http://fhir.ehealth.gov.vn/core/sid/citizen_id',
    bhyt: 'http://fhir.ehealth.gov.vn/core/sid/insurance_number',
    maLk: 'http://fhir.ehealth.gov.vn/core/sid/VisitNumber',
    cskcb: 'urn:vn:bhxh:ma-cskcb',
    mrnPrefix: 'urn:vn:cskcb:',
  },
};

export function fhirSystems(env: Env = process.env): FhirSystems {
  const p = PROFILES[env.FHIR_ID_PROFILE === 'moh' ? 'moh' : 'vncore'];
  return {
    cccd: env.FHIR_SYSTEM_CCCD || p.cccd,
    cmnd: env.FHIR_SYSTEM_CMND || p.cmnd,
    bhyt: env.FHIR_SYSTEM_BHYT || p.bhyt,
    maLk: env.FHIR_SYSTEM_MA_LK || p.maLk,
    cskcb: env.FHIR_SYSTEM_CSKCB || p.cskcb,
    mrn: (facility) => env.FHIR_SYSTEM_MRN || `${p.mrnPrefix}${facility}:ma-bn`,
  };
}

type Resource = Record<string, unknown>;
type Entry = { fullUrl: string; resource: Resource; request: { method: 'POST' | 'PUT'; url: string; ifNoneExist?: string } };

const GENDER = { M: 'male', F: 'female' } as const;

export function buildFhirBundle(s: HandoffSnapshot, event: HandoffEvent, systems = fhirSystems()): Resource {
  const patientUrl = `urn:uuid:${s.patient.id}`;
  const personalId = identifier(s, 'PERSONAL_ID');
  const cmnd = identifier(s, 'CMND');
  const mrn = identifier(s, 'HOSPITAL_CODE') ?? s.patient.id;
  const ids: { system: string; value: string }[] = [];
  if (personalId) ids.push({ system: systems.cccd, value: personalId });
  if (cmnd) ids.push({ system: systems.cmnd, value: cmnd });
  ids.push({ system: systems.mrn(s.facility.code), value: mrn });
  // The patient is matched on the strongest identifier: CCCD, else CMND, else the facility record number.
  const patientKey = `identifier=${ids[0]!.system}|${ids[0]!.value}`;
  const parts = s.patient.fullName.trim().split(/\s+/);
  const patient: Resource = {
    resourceType: 'Patient',
    identifier: ids,
    name: [{ use: 'official', text: s.patient.fullName, family: parts[0], given: parts.slice(1) }],
    gender: s.patient.sex ? GENDER[s.patient.sex] : 'unknown',
    birthDate: s.patient.birthDate,
    ...(s.patient.phone ? { telecom: [{ system: 'phone', value: s.patient.phone, use: 'mobile' }] } : {}),
    ...(s.patient.address ? { address: [{ use: 'home', text: s.patient.address, country: 'VN' }] } : {}),
  };
  const entries: Entry[] = [];
  // A11 only needs the Encounter; the Patient is still matched (never created) so the reference resolves.
  entries.push({
    fullUrl: patientUrl,
    resource: patient,
    request: event === 'A08' ? { method: 'PUT', url: `Patient?${patientKey}` } : { method: 'POST', url: 'Patient', ifNoneExist: patientKey },
  });
  const card = s.coverage?.cardCode;
  if (card && s.encounter.payer === 'BHYT' && event !== 'A11') {
    const coverage: Resource = {
      resourceType: 'Coverage',
      status: 'active',
      identifier: [{ system: systems.bhyt, value: card }],
      type: { text: 'Bảo hiểm y tế (BHYT)' },
      subscriberId: card,
      beneficiary: { reference: patientUrl },
      payor: [{ display: 'Bảo hiểm xã hội Việt Nam' }],
      ...(s.coverage?.validFrom || s.coverage?.validTo
        ? { period: { ...(s.coverage.validFrom ? { start: s.coverage.validFrom } : {}), ...(s.coverage.validTo ? { end: s.coverage.validTo } : {}) } }
        : {}),
    };
    const key = `identifier=${systems.bhyt}|${card}`;
    entries.push({
      fullUrl: `urn:uuid:${randomUUID()}`,
      resource: coverage,
      request: event === 'A08' ? { method: 'PUT', url: `Coverage?${key}` } : { method: 'POST', url: 'Coverage', ifNoneExist: key },
    });
  }
  const encounterKey = `identifier=${systems.maLk}|${s.encounter.number}`;
  const start = vnIso(s.encounter.checkedInAt);
  const status = event === 'A11' ? 'cancelled' : 'arrived';
  const encounter: Resource = {
    resourceType: 'Encounter',
    identifier: [{ system: systems.maLk, value: s.encounter.number }],
    status,
    statusHistory: [{ status: 'arrived', period: { start } }],
    class: s.encounter.visitType === 'EMERGENCY'
      ? { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER', display: 'emergency' }
      : { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    subject: { reference: patientUrl },
    period: { start },
    location: [{ location: { display: `${s.encounter.room.name} (${s.encounter.room.code})` }, status: 'planned' }],
    serviceProvider: { identifier: { system: systems.cskcb, value: s.facility.code }, display: s.facility.name },
  };
  entries.push({
    fullUrl: `urn:uuid:${s.encounter.id}`,
    resource: encounter,
    request: event === 'A04' ? { method: 'POST', url: 'Encounter', ifNoneExist: encounterKey } : { method: 'PUT', url: `Encounter?${encounterKey}` },
  });
  return { resourceType: 'Bundle', type: 'transaction', entry: entries };
}
