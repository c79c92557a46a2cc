import type { IdentifierValue } from '../identity';
import { hospitalCodeSchema } from '../identity/schemas';
import { newPatientSchema } from '../patients/schemas';
import { jsonLimited } from '../http/body';
import { escapeSearchValue, fhirSystems, type FhirSystems } from './fhir';
import type { Env } from './config';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import type { Sex } from '../codes';

/**
 * Before the desk offers the new-patient form, ask the HIS's FHIR endpoint (HIS_FHIR_URL) whether it already knows
 * the person (`GET Patient?identifier=…`, issue 15): on go-live most "new" people at the desk are the HIS's old
 * patients. A match brings the HIS's patient code and demographics into the form, marked as coming from the HIS.
 *
 * The HIS's answer is input like any other: bounded in time and size, the Patient must carry one of the identifiers
 * we asked for (a search the HIS does not support may answer with everyone), every field passes the same schemas as
 * a typed form, and more than one Patient is not a match. A slow or absent HIS never holds up the desk.
 */
export type HisPatient = {
  hospitalCode: string | null;
  fullName: string;
  dateOfBirth: string | null;
  sex: Sex | null;
  address: string | null;
};
export type HisLookup =
  | { status: 'found'; patient: HisPatient }
  | { status: 'not-found' }
  | { status: 'ambiguous' }
  | { status: 'unavailable'; message: string };

/** The desk waits this long at most: the receptionist types the form meanwhile anyway. */
export const HIS_LOOKUP_TIMEOUT_MS = 1_500;
/** A search answer for one person is a few KB. */
export const MAX_HIS_LOOKUP_BYTES = 256 * 1024;

export function hisFhirUrl(env: Env = process.env): string | null {
  return env.HIS_FHIR_URL?.trim() || null;
}

/** The identifiers the HIS's Patient can carry (as our hand-off writes them: lib/handoff/fhir.ts), strongest first. */
function searchKeys(
  identifiers: IdentifierValue[],
  facilityCode: string,
  systems: FhirSystems,
): { system: string; value: string }[] {
  const system = { PERSONAL_ID: systems.cccd, CMND: systems.cmnd, HOSPITAL_CODE: systems.mrn(facilityCode) } as Record<
    string,
    string
  >;
  return identifiers.filter((i) => system[i.system]).map((i) => ({ system: system[i.system]!, value: i.value }));
}

export async function lookupHisPatient(
  baseUrl: string,
  facilityCode: string,
  identifiers: IdentifierValue[],
  { timeoutMs = HIS_LOOKUP_TIMEOUT_MS, systems = fhirSystems() }: { timeoutMs?: number; systems?: FhirSystems } = {},
): Promise<HisLookup | null> {
  const keys = searchKeys(identifiers, facilityCode, systems);
  if (keys.length === 0) return null; // a BHYT card alone: the HIS's Patient is not searched by it
  // One request: `,` between values is FHIR's OR; within a value `,` `|` `$` `\` are escaped, then URL-encoded.
  const query = keys
    .map((k) => encodeURIComponent(`${escapeSearchValue(k.system)}|${escapeSearchValue(k.value)}`))
    .join(',');
  const url = `${baseUrl.replace(/\/+$/, '')}/Patient?identifier=${query}&_count=3`;
  // Typed as FHIR says, read as untrusted: every step below checks that the shape is really there.
  let bundle: Bundle<Patient> | null;
  try {
    const res = await fetch(url, {
      headers: { accept: 'application/fhir+json' },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    if (!res.ok) return { status: 'unavailable', message: `HIS trả lời HTTP ${res.status}` };
    bundle = await jsonLimited(res, MAX_HIS_LOOKUP_BYTES);
  } catch (error) {
    const timedOut = error instanceof Error && /timeout|abort/i.test(`${error.name} ${error.message}`);
    return {
      status: 'unavailable',
      message: timedOut ? `HIS không trả lời sau ${timeoutMs} ms` : 'Không kết nối được HIS',
    };
  }
  const asked = new Set(keys.map((k) => `${k.system}|${k.value}`));
  const matches = (Array.isArray(bundle?.entry) ? bundle.entry : [])
    .map((e) => e?.resource)
    .filter((r): r is Patient => r?.resourceType === 'Patient' && r.active !== false)
    .filter((r) => Array.isArray(r.identifier) && r.identifier.some((i) => asked.has(`${i?.system}|${i?.value}`)));
  if (matches.length === 0) return { status: 'not-found' };
  if (matches.length > 1) return { status: 'ambiguous' };
  const patient = hisPatient(matches[0]!, systems.mrn(facilityCode));
  return patient ? { status: 'found', patient } : { status: 'not-found' };
}

/** The HIS's Patient as the desk's form fields: each through the form's own schema, or left empty. */
function hisPatient(r: Patient, mrnSystem: string): HisPatient | null {
  const field = newPatientSchema.shape;
  const name = r.name?.[0];
  const fullName = field.fullName.safeParse(
    name?.text ?? [name?.family, ...(name?.given ?? [])].filter(Boolean).join(' '),
  );
  if (!fullName.success) return null;
  const dob = field.dateOfBirth.safeParse(r.birthDate);
  const a = r.address?.[0];
  const address = field.address.safeParse(a?.text ?? [...(a?.line ?? []), a?.city].filter(Boolean).join(', '));
  const code = r.identifier?.find((i) => i?.system === mrnSystem)?.value;
  const hospitalCode = code === undefined ? null : hospitalCodeSchema.safeParse(code);
  return {
    hospitalCode: hospitalCode?.success ? hospitalCode.data : null,
    fullName: fullName.data,
    dateOfBirth: dob.success ? dob.data : null,
    sex: r.gender === 'male' ? 'M' : r.gender === 'female' ? 'F' : null,
    address: address.success && address.data ? address.data : null,
  };
}
