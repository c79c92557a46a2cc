import { describe, expect, it } from 'vitest';
import { buildFhirBundle, buildFhirMergeBundle, escapeSearchValue, fhirSystems, identifierQuery } from './fhir';
import { fullSnapshot, hostileSnapshot, mergeSnapshot, minimalSnapshot } from './test-snapshots';

/**
 * The FHIR transaction Bundles, as the outbox stores them (`JSON.stringify`): compared as text, so a change of
 * a value, of a key's order or of a request fails here. The Coverage's fullUrl is a fresh UUID per message.
 */
const systems = fhirSystems({});
const UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** The stored text, with the Coverage's random fullUrl (checked to be a UUID) made constant. */
function wire(bundle: unknown): string {
  const text = JSON.stringify(bundle);
  return text.replace(/"fullUrl":"(urn:uuid:[^"]+)","resource":\{"resourceType":"Coverage"/, (all, url: string) => {
    expect(url).toMatch(UUID);
    return all.replace(url, 'urn:uuid:COVERAGE');
  });
}

const PATIENT =
  '{"resourceType":"Patient","identifier":[{"system":"http://fhir.hl7.org.vn/core/sid/cccd","value":"058190000001"},{"system":"http://fhir.hl7.org.vn/core/sid/cmnd","value":"580000001"},{"system":"urn:vn:cskcb:58999:ma-bn","value":"BN0000000001"}],"name":[{"use":"official","text":"Nguyễn Thị Thử Nghiệm","family":"Nguyễn","given":["Thị","Thử","Nghiệm"]}],"gender":"female","birthDate":"1958-03-12","telecom":[{"system":"phone","value":"0900000001","use":"mobile"}],"address":[{"use":"home","text":"Số 1 Đường Mẫu, Phường Mẫu, TP Thử","country":"VN"}]}';
const COVERAGE =
  '{"resourceType":"Coverage","status":"active","identifier":[{"system":"http://fhir.hl7.org.vn/core/sid/bhyt","value":"GD4795800000001"}],"type":{"text":"Bảo hiểm y tế (BHYT)"},"subscriberId":"GD4795800000001","beneficiary":{"reference":"urn:uuid:00000000-0000-4000-8000-00000000a002"},"payor":[{"display":"Bảo hiểm xã hội Việt Nam"}],"period":{"start":"2026-01-01","end":"2026-12-31"}}';
const ENCOUNTER = (status: string) =>
  `{"resourceType":"Encounter","identifier":[{"system":"http://fhir.hl7.org.vn/core/sid/ma-lk","value":"58999-261201-C01-017"}],"status":"${status}","statusHistory":[{"status":"arrived","period":{"start":"2026-12-01T08:45:30+07:00"}}],"class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"EMER","display":"emergency"},"subject":{"reference":"urn:uuid:00000000-0000-4000-8000-00000000a002"},"period":{"start":"2026-12-01T08:45:30+07:00"},"location":[{"location":{"display":"Cấp cứu (C01)"},"status":"planned"}],"serviceProvider":{"identifier":{"system":"urn:vn:bhxh:ma-cskcb","value":"58999"},"display":"Bệnh viện Thử"}}`;
const PATIENT_KEY = 'identifier=http%3A%2F%2Ffhir.hl7.org.vn%2Fcore%2Fsid%2Fcccd%7C058190000001';
const COVERAGE_KEY = 'identifier=http%3A%2F%2Ffhir.hl7.org.vn%2Fcore%2Fsid%2Fbhyt%7CGD4795800000001';
const ENCOUNTER_KEY = 'identifier=http%3A%2F%2Ffhir.hl7.org.vn%2Fcore%2Fsid%2Fma-lk%7C58999-261201-C01-017';
const bundle = (...entries: string[]) =>
  `{"resourceType":"Bundle","type":"transaction","entry":[${entries.join(',')}]}`;
const entry = (fullUrl: string, resource: string, request: string) =>
  `{"fullUrl":"${fullUrl}","resource":${resource},"request":${request}}`;
const P_URL = 'urn:uuid:00000000-0000-4000-8000-00000000a002';
const E_URL = 'urn:uuid:00000000-0000-4000-8000-00000000e002';

describe('transaction Bundle (golden)', () => {
  it('A04 with every optional field empty: our patient id as the record number, gender unknown, no Coverage', () => {
    expect(wire(buildFhirBundle(minimalSnapshot(), 'A04', systems))).toBe(
      bundle(
        entry(
          'urn:uuid:00000000-0000-4000-8000-00000000a001',
          '{"resourceType":"Patient","identifier":[{"system":"urn:vn:cskcb:58999:ma-bn","value":"00000000-0000-4000-8000-00000000a001"}],"name":[{"use":"official","text":"Trần Mẫu","family":"Trần","given":["Mẫu"]}],"gender":"unknown","birthDate":"1990"}',
          '{"method":"POST","url":"Patient","ifNoneExist":"identifier=urn%3Avn%3Acskcb%3A58999%3Ama-bn%7C00000000-0000-4000-8000-00000000a001"}',
        ),
        entry(
          'urn:uuid:00000000-0000-4000-8000-00000000e001',
          '{"resourceType":"Encounter","identifier":[{"system":"http://fhir.hl7.org.vn/core/sid/ma-lk","value":"58999-261201-P01-001"}],"status":"arrived","statusHistory":[{"status":"arrived","period":{"start":"2026-12-01T08:30:00+07:00"}}],"class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB","display":"ambulatory"},"subject":{"reference":"urn:uuid:00000000-0000-4000-8000-00000000a001"},"period":{"start":"2026-12-01T08:30:00+07:00"},"location":[{"location":{"display":"Phòng khám Nội 1 (P01)"},"status":"planned"}],"serviceProvider":{"identifier":{"system":"urn:vn:bhxh:ma-cskcb","value":"58999"},"display":"Bệnh viện Thử"}}',
          '{"method":"POST","url":"Encounter","ifNoneExist":"identifier=http%3A%2F%2Ffhir.hl7.org.vn%2Fcore%2Fsid%2Fma-lk%7C58999-261201-P01-001"}',
        ),
      ),
    );
  });

  it('A04 of an emergency BHYT visit: conditional creates of Patient (on the CCCD), Coverage and Encounter', () => {
    expect(wire(buildFhirBundle(fullSnapshot(), 'A04', systems))).toBe(
      bundle(
        entry(P_URL, PATIENT, `{"method":"POST","url":"Patient","ifNoneExist":"${PATIENT_KEY}"}`),
        entry('urn:uuid:COVERAGE', COVERAGE, `{"method":"POST","url":"Coverage","ifNoneExist":"${COVERAGE_KEY}"}`),
        entry(E_URL, ENCOUNTER('arrived'), `{"method":"POST","url":"Encounter","ifNoneExist":"${ENCOUNTER_KEY}"}`),
      ),
    );
  });

  it('A08: conditional updates of all three', () => {
    expect(wire(buildFhirBundle(fullSnapshot(), 'A08', systems))).toBe(
      bundle(
        entry(P_URL, PATIENT, `{"method":"PUT","url":"Patient?${PATIENT_KEY}"}`),
        entry('urn:uuid:COVERAGE', COVERAGE, `{"method":"PUT","url":"Coverage?${COVERAGE_KEY}"}`),
        entry(E_URL, ENCOUNTER('arrived'), `{"method":"PUT","url":"Encounter?${ENCOUNTER_KEY}"}`),
      ),
    );
  });

  it('A11: the Patient matched (never created), no Coverage, the Encounter updated as cancelled', () => {
    expect(wire(buildFhirBundle(fullSnapshot(), 'A11', systems))).toBe(
      bundle(
        entry(P_URL, PATIENT, `{"method":"POST","url":"Patient","ifNoneExist":"${PATIENT_KEY}"}`),
        entry(E_URL, ENCOUNTER('cancelled'), `{"method":"PUT","url":"Encounter?${ENCOUNTER_KEY}"}`),
      ),
    );
  });

  it('the Coverage gets a new fullUrl in every message', () => {
    const url = (b: unknown) =>
      JSON.stringify(b).match(/"fullUrl":"([^"]+)","resource":\{"resourceType":"Coverage"/)![1];
    expect(url(buildFhirBundle(fullSnapshot(), 'A04', systems))).not.toBe(
      url(buildFhirBundle(fullSnapshot(), 'A04', systems)),
    );
  });

  it('a coverage period with one end only, and a self-paying visit (no Coverage)', () => {
    const s = fullSnapshot();
    s.coverage!.validFrom = null;
    expect(wire(buildFhirBundle(s, 'A04', systems))).toContain('"period":{"end":"2026-12-31"}},"request"');
    s.coverage!.validTo = null;
    expect(wire(buildFhirBundle(s, 'A04', systems))).toContain(
      '"payor":[{"display":"Bảo hiểm xã hội Việt Nam"}]},"request"',
    );
    s.encounter.payer = 'SELF_PAY';
    expect(wire(buildFhirBundle(s, 'A04', systems))).not.toContain('Coverage');
  });

  it('the MoH profile and per-system overrides change only the systems', () => {
    const moh = fhirSystems({ FHIR_ID_PROFILE: 'moh', FHIR_SYSTEM_MRN: 'urn:test:mrn' });
    const text = wire(buildFhirBundle(fullSnapshot(), 'A04', moh));
    expect(text).toContain('{"system":"http://fhir.ehealth.gov.vn/core/sid/national_id","value":"058190000001"}');
    expect(text).toContain('{"system":"urn:test:mrn","value":"BN0000000001"}');
    expect(text).toContain(
      '{"system":"http://fhir.ehealth.gov.vn/core/sid/VisitNumber","value":"58999-261201-C01-017"}',
    );
  });
});

describe('hostile values', () => {
  it('are sent as data in the resources and escaped in every search: no OR-list, no extra parameter', () => {
    const b = buildFhirBundle(hostileSnapshot(), 'A04', systems) as unknown as {
      entry: { resource: Record<string, unknown>; request: { ifNoneExist?: string; url: string } }[];
    };
    const [patient, coverage, encounter] = b.entry;
    expect(patient!.resource.identifier).toEqual([
      { system: systems.cccd, value: 'x,058190000001|y' },
      { system: 'urn:vn:cskcb:58|99:ma-bn', value: 'BN^1~2' },
    ]);
    expect(patient!.request.ifNoneExist).toBe(identifierQuery(systems.cccd, 'x,058190000001|y'));
    expect(new URLSearchParams(patient!.request.ifNoneExist).get('identifier')).toBe(
      `${systems.cccd}|x\\,058190000001\\|y`,
    );
    expect([...new URLSearchParams(coverage!.request.ifNoneExist)].length).toBe(1);
    expect(new URLSearchParams(coverage!.request.ifNoneExist).get('identifier')).toBe(
      `${systems.bhyt}|GD47958&0000001`,
    );
    expect(new URLSearchParams(encounter!.request.ifNoneExist).get('identifier')).toBe(`${systems.maLk}|E~1&2`);
    // JSON carries any text: the name and address arrive as typed, the given names split on whitespace.
    expect((patient!.resource.name as { family: string; given: string[] }[])[0]).toMatchObject({
      family: 'Họa|b^c~d\\e&f',
      given: ['g', 'h', 'i\x1cj', 'Tên', 'Đệm'],
    });
    expect(JSON.parse(JSON.stringify(b))).toEqual(b);
  });

  it('escapeSearchValue leaves nothing that FHIR search would read as syntax', () => {
    expect(escapeSearchValue('')).toBe('');
    expect(escapeSearchValue('\\\\,,')).toBe('\\\\\\\\\\,\\,');
    expect(escapeSearchValue('x'.repeat(100_000))).toHaveLength(100_000);
  });
});

describe('merge Bundle (golden)', () => {
  it('the survivor matched by conditional create, the merged record updated as inactive and replaced-by the survivor', () => {
    expect(JSON.stringify(buildFhirMergeBundle(mergeSnapshot(), systems))).toBe(
      bundle(
        entry(
          'urn:uuid:00000000-0000-4000-8000-00000000a003',
          '{"resourceType":"Patient","identifier":[{"system":"http://fhir.hl7.org.vn/core/sid/cccd","value":"058075000003"},{"system":"urn:vn:cskcb:58999:ma-bn","value":"BN0000000003"}],"name":[{"use":"official","text":"Phạm Văn Giữ","family":"Phạm","given":["Văn","Giữ"]}],"gender":"male","birthDate":"1975-07-04","telecom":[{"system":"phone","value":"0900000003","use":"mobile"}],"address":[{"use":"home","text":"Thôn 3, xã Mẫu","country":"VN"}]}',
          '{"method":"POST","url":"Patient","ifNoneExist":"identifier=http%3A%2F%2Ffhir.hl7.org.vn%2Fcore%2Fsid%2Fcccd%7C058075000003"}',
        ),
        entry(
          'urn:uuid:00000000-0000-4000-8000-00000000a004',
          '{"resourceType":"Patient","identifier":[{"system":"urn:vn:cskcb:58999:ma-bn","value":"BN0000000004"}],"name":[{"use":"official","text":"Phạm Văn Gộp","family":"Phạm","given":["Văn","Gộp"]}],"gender":"unknown","birthDate":"1975","active":false,"link":[{"other":{"reference":"urn:uuid:00000000-0000-4000-8000-00000000a003"},"type":"replaced-by"}]}',
          '{"method":"PUT","url":"Patient?identifier=urn%3Avn%3Acskcb%3A58999%3Ama-bn%7CBN0000000004"}',
        ),
      ),
    );
  });
});
