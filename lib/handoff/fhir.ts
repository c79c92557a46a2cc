import type { Bundle, BundleEntry, Coverage, Encounter, Patient } from '@medplum/fhirtypes';
import type { Env } from './config';
import { randomUUID } from 'node:crypto';
import { identifier, mergeIdentifier, vnIso, type HandoffSnapshot, type MergeSnapshot } from './snapshot';
import type { HandoffEvent } from './outbox';

/**
 * FHIR R4 transaction Bundle for the HIS (spec his-handoff.md §7): Patient + Coverage + Encounter
 * (status arrived, class AMB/EMER). Conditional create (`ifNoneExist`) on business identifiers makes a replay
 * create nothing new. A08 and A11 use conditional update (`PUT Encounter?identifier=…`).
 *
 * The Vietnamese identifier systems come from draft IGs (uncertain, spec §7.2): VN Core by default,
 * `FHIR_ID_PROFILE=moh` for the MoH-IT draft, and each one overridable with FHIR_SYSTEM_<NAME>.
 */
export type FhirSystems = {
  cccd: string;
  cmnd: string;
  bhyt: string;
  maLk: string;
  mrn: (facility: string) => string;
  cskcb: string;
};

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

/**
 * FHIR search escaping (R4 "Escaping Search Parameters"): `\`, `,`, `$` and `|` inside a value are preceded by
 * `\`, so a value can never become an OR-list (`,`), a system separator (`|`) or a composite (`$`).
 */
export function escapeSearchValue(value: string): string {
  return value.replace(/[\\,$|]/g, (c) => `\\${c}`);
}

/**
 * The `identifier=<system>|<value>` query of a conditional create or update: each part escaped, then the whole
 * value URL-encoded (so `&`, `#`, `+`, `%` or spaces cannot add parameters or change the value). Identifier
 * values are validated where they enter (lib/identity/schemas.ts), but rows from before that, or from an import,
 * must not be able to point the HIS at another person either.
 */
export function identifierQuery(system: string, value: string): string {
  return `identifier=${encodeURIComponent(`${escapeSearchValue(system)}|${escapeSearchValue(value)}`)}`;
}

/** What a hand-off Bundle carries (R4 types from @medplum/fhirtypes; type-only, nothing of it is bundled). */
export type HandoffResource = Patient | Coverage | Encounter;
export type HandoffBundle = Bundle<HandoffResource>;

const GENDER = { M: 'male', F: 'female' } as const satisfies Record<'M' | 'F', Patient['gender']>;

type PatientFacts = {
  id: string;
  fullName: string;
  birthDate: string;
  sex: 'M' | 'F' | null;
  phone: string | null;
  address: string | null;
};

/**
 * A Patient resource and the query that finds it: matched on the strongest identifier — CCCD, else CMND, else the
 * facility record number (the HIS's code, or ours without one). Its identifier[0] is the key: the delivery checks
 * that a matched Patient carries it (fhir-transport.ts).
 */
function fhirPatient(
  p: PatientFacts,
  get: (system: string) => string | null,
  facilityCode: string,
  systems: FhirSystems,
): { patient: Patient; key: string } {
  const personalId = get('PERSONAL_ID');
  const cmnd = get('CMND');
  const ids: { system: string; value: string }[] = []; // Identifier, with both parts always set
  if (personalId) ids.push({ system: systems.cccd, value: personalId });
  if (cmnd) ids.push({ system: systems.cmnd, value: cmnd });
  ids.push({ system: systems.mrn(facilityCode), value: get('HOSPITAL_CODE') ?? p.id });
  const parts = p.fullName.trim().split(/\s+/);
  const patient: Patient = {
    resourceType: 'Patient',
    identifier: ids,
    name: [{ use: 'official', text: p.fullName, family: parts[0], given: parts.slice(1) }],
    gender: p.sex ? GENDER[p.sex] : 'unknown',
    birthDate: p.birthDate,
    ...(p.phone ? { telecom: [{ system: 'phone', value: p.phone, use: 'mobile' }] } : {}),
    ...(p.address ? { address: [{ use: 'home', text: p.address, country: 'VN' }] } : {}),
  };
  return { patient, key: identifierQuery(ids[0]!.system, ids[0]!.value) };
}

/**
 * The FHIR side of an ADT^A40: the surviving Patient (conditional create: matched, never overwritten) and the merged
 * one updated as inactive with `link.type = replaced-by` to the survivor (R4 Patient.link). The R5 `$merge`
 * operation is not sent: which HIS supports it is unknown (spec §7), and a transaction Bundle needs nothing extra.
 */
export function buildFhirMergeBundle(s: MergeSnapshot, systems = fhirSystems()): HandoffBundle {
  const survivor = fhirPatient(s.survivor, (system) => mergeIdentifier(s.survivor, system), s.facility.code, systems);
  const merged = fhirPatient(s.merged, (system) => mergeIdentifier(s.merged, system), s.facility.code, systems);
  const survivorUrl = `urn:uuid:${s.survivor.id}`;
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: survivorUrl,
        resource: survivor.patient,
        request: { method: 'POST', url: 'Patient', ifNoneExist: survivor.key },
      },
      {
        fullUrl: `urn:uuid:${s.merged.id}`,
        resource: {
          ...merged.patient,
          active: false,
          link: [{ other: { reference: survivorUrl }, type: 'replaced-by' }],
        },
        request: { method: 'PUT', url: `Patient?${merged.key}` },
      },
    ],
  };
}

export function buildFhirBundle(s: HandoffSnapshot, event: HandoffEvent, systems = fhirSystems()): HandoffBundle {
  const patientUrl = `urn:uuid:${s.patient.id}`;
  const { patient, key: patientKey } = fhirPatient(
    s.patient,
    (system) => identifier(s, system),
    s.facility.code,
    systems,
  );
  const entries: BundleEntry<HandoffResource>[] = [];
  // A11 only needs the Encounter; the Patient is still matched (never created) so the reference resolves.
  entries.push({
    fullUrl: patientUrl,
    resource: patient,
    request:
      event === 'A08'
        ? { method: 'PUT', url: `Patient?${patientKey}` }
        : { method: 'POST', url: 'Patient', ifNoneExist: patientKey },
  });
  const card = s.coverage?.cardCode;
  if (card && s.encounter.payer === 'BHYT' && event !== 'A11') {
    const coverage: Coverage = {
      resourceType: 'Coverage',
      status: 'active',
      identifier: [{ system: systems.bhyt, value: card }],
      type: { text: 'Bảo hiểm y tế (BHYT)' },
      subscriberId: card,
      beneficiary: { reference: patientUrl },
      payor: [{ display: 'Bảo hiểm xã hội Việt Nam' }],
      ...(s.coverage?.validFrom || s.coverage?.validTo
        ? {
            period: {
              ...(s.coverage.validFrom ? { start: s.coverage.validFrom } : {}),
              ...(s.coverage.validTo ? { end: s.coverage.validTo } : {}),
            },
          }
        : {}),
    };
    const key = identifierQuery(systems.bhyt, card);
    entries.push({
      fullUrl: `urn:uuid:${randomUUID()}`,
      resource: coverage,
      request:
        event === 'A08'
          ? { method: 'PUT', url: `Coverage?${key}` }
          : { method: 'POST', url: 'Coverage', ifNoneExist: key },
    });
  }
  const encounterKey = identifierQuery(systems.maLk, s.encounter.number);
  const start = vnIso(s.encounter.checkedInAt);
  const status = event === 'A11' ? 'cancelled' : 'arrived';
  const encounter: Encounter = {
    resourceType: 'Encounter',
    identifier: [{ system: systems.maLk, value: s.encounter.number }],
    status,
    statusHistory: [{ status: 'arrived', period: { start } }],
    class:
      s.encounter.visitType === 'EMERGENCY'
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
    request:
      event === 'A04'
        ? { method: 'POST', url: 'Encounter', ifNoneExist: encounterKey }
        : { method: 'PUT', url: `Encounter?${encounterKey}` },
  });
  return { resourceType: 'Bundle', type: 'transaction', entry: entries };
}
