import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { testDb, testFacility } from '../db/test-helpers';
import { installJobQueue, startHandoffWorker, type HandoffWorker } from './worker';
import { fhirTransport } from './fhir-transport';
import { TestFhirServer } from './test-fhir';
import { testEncounter, testEvent, testPatient, testRoom, waitFor } from './test-fixtures';
import { buildFhirBundle, escapeSearchValue, fhirSystems, identifierQuery } from './fhir';
import type { HandoffSnapshot } from './snapshot';
import { randomInt, randomUUID } from 'node:crypto';

/** FHIR R4 target: real worker, real HTTP to a local @medplum/fhir-router endpoint that applies transactions. */
const db = testDb();
const url = inject('databaseUrl');
let fhir: TestFhirServer;
let worker: HandoffWorker | null = null;
let facility: { id: string; code: string };
let roomId: string;

beforeAll(async () => {
  await installJobQueue(url);
  facility = await testFacility(db);
  roomId = (await testRoom(db, facility.id)).id;
});
afterEach(async () => {
  await worker?.stop();
  worker = null;
  await fhir?.stop();
});
afterAll(() => db.$disconnect());

async function start() {
  fhir = await new TestFhirServer().start();
  worker = await startHandoffWorker({
    connectionString: url,
    concurrency: 2,
    transports: { FHIR: fhirTransport(fhir.url, 2_000) },
    env: { HANDOFF_BACKOFF_BASE_MS: '100', HANDOFF_BACKOFF_MAX_MS: '300', HANDOFF_SWEEP_MS: '500' },
  });
}

const search = async (type: 'Patient' | 'Coverage' | 'Encounter', system: string, value: string) =>
  (await fhir.repo.searchResources({
    resourceType: type,
    filters: [{ code: 'identifier', operator: 'eq' as never, value: `${system}|${value}` }],
  })) as {
    id?: string;
    status?: string;
    class?: { code?: string };
    subject?: { reference?: string };
    beneficiary?: { reference?: string };
  }[];

it('A04 creates Patient + Coverage + Encounter (arrived, AMB); a replay creates nothing new; A11 cancels', async () => {
  await start();
  const systems = fhirSystems({});
  const { patient, coverage, personalId, card } = await testPatient(db, { bhyt: true });
  const encounter = await testEncounter(db, facility.id, roomId, patient, {
    coverageId: coverage!.id,
    targets: ['FHIR'],
  });
  const [m] = await waitFor(async () => {
    const rows = await db.handoffMessage.findMany({ where: { encounterId: encounter.id } });
    return rows[0]?.status === 'DELIVERED' ? rows : null;
  });
  expect(m!.externalRef).toMatch(/^Encounter\//);
  const patients = await search('Patient', systems.cccd, personalId);
  const coverages = await search('Coverage', systems.bhyt, card);
  const encounters = await search('Encounter', systems.maLk, encounter.number);
  expect([patients.length, coverages.length, encounters.length]).toEqual([1, 1, 1]);
  expect(encounters[0]!.status).toBe('arrived');
  expect(encounters[0]!.class?.code).toBe('AMB');
  expect(encounters[0]!.subject?.reference).toBe(`Patient/${patients[0]!.id}`);
  expect(coverages[0]!.beneficiary?.reference).toBe(`Patient/${patients[0]!.id}`);

  // Replay the exact stored bundle (as a retry after a lost answer would): nothing new is created.
  const replay = await fetch(fhir.url, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    body: m!.payload!,
  });
  const replayBody = (await replay.json()) as { entry: { response: { status: string } }[] };
  expect(replayBody.entry.map((e) => e.response.status.slice(0, 3))).toEqual(['200', '200', '200']);
  expect((await search('Patient', systems.cccd, personalId)).length).toBe(1);
  expect((await search('Encounter', systems.maLk, encounter.number)).length).toBe(1);

  await testEvent(db, encounter, 'A11', ['FHIR']);
  await waitFor(
    async () => (await db.handoffMessage.count({ where: { encounterId: encounter.id, status: 'DELIVERED' } })) === 2,
  );
  const after = await search('Encounter', systems.maLk, encounter.number);
  expect(after).toHaveLength(1);
  expect(after[0]!.status).toBe('cancelled');
});

it('a 5xx from the FHIR server is retried; a 4xx parks the message', async () => {
  await start();
  fhir.failWith = 503;
  const { patient } = await testPatient(db);
  const encounter = await testEncounter(db, facility.id, roomId, patient, { targets: ['FHIR'] });
  await waitFor(
    async () => (await db.handoffMessage.findFirst({ where: { encounterId: encounter.id } }))?.status === 'FAILED',
  );
  fhir.failWith = null;
  await waitFor(
    async () => (await db.handoffMessage.findFirst({ where: { encounterId: encounter.id } }))?.status === 'DELIVERED',
  );

  fhir.failWith = 422;
  const other = await testPatient(db);
  const e2 = await testEncounter(db, facility.id, roomId, other.patient, { targets: ['FHIR'] });
  const parked = await waitFor(async () => {
    const m = await db.handoffMessage.findFirst({ where: { encounterId: e2.id } });
    return m?.status === 'PARKED' ? m : null;
  });
  expect(parked.lastError).toContain('HTTP 422');
  expect(parked.attempts).toBe(1);
});

// ---- issue 10: identifier values must not steer the HIS's conditional create/update to another person ----

const VICTIM_ID = '058190012345'; // synthetic

/** A snapshot as the outbox freezes it, with whatever identifier value a row might hold (rows from before validation, an import). */
function snapshotWith(personalId: string): HandoffSnapshot {
  return {
    facility: { code: '58999', name: 'Cơ sở thử' },
    encounter: {
      id: randomUUID(),
      number: `58999-261201-P01-${String(randomInt(1000)).padStart(3, '0')}`,
      status: 'CHECKED_IN',
      visitType: 'OUTPATIENT',
      payer: 'SELF_PAY',
      checkedInAt: new Date(),
      room: { code: 'P01', name: 'Phòng 01', department: 'Khoa Khám bệnh' },
    },
    patient: {
      id: randomUUID(),
      fullName: 'Kẻ Gian Thử',
      birthDate: '1990-01-01',
      sex: 'M',
      address: null,
      phone: null,
      identifiers: [{ system: 'PERSONAL_ID', value: personalId }],
    },
    coverage: null,
    operator: null,
  };
}

async function post(bundle: unknown) {
  const res = await fetch(fhir.url, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify(bundle),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { entry: { response: { status: string; location: string } }[] };
}

it('escapes FHIR search values (\\, | $ \\\\) and URL-encodes them', () => {
  expect(escapeSearchValue('a,b|c$d\\e')).toBe('a\\,b\\|c\\$d\\\\e');
  expect(identifierQuery('http://x/sid', 'x,1&_id=2')).toBe(
    `identifier=${encodeURIComponent('http://x/sid|x\\,1&_id=2')}`,
  );
  expect(new URLSearchParams(identifierQuery('http://x/sid', 'a+b%c')).get('identifier')).toBe('http://x/sid|a+b%c');
});

it('a value like "x,<someone else\'s CCCD>" neither attaches the encounter to that person (A04) nor overwrites them (A08)', async () => {
  fhir = await new TestFhirServer().start();
  const systems = fhirSystems({});
  const victim = (await fhir.repo.createResource({
    resourceType: 'Patient',
    identifier: [{ system: systems.cccd, value: VICTIM_ID }],
    name: [{ text: 'Nạn Nhân Thử' }],
    birthDate: '1960-02-02',
  } as never)) as { id: string; meta?: { versionId?: string } };
  const s = snapshotWith(`x,${VICTIM_ID}`);

  const a04 = await post(buildFhirBundle(s, 'A04', systems));
  expect(a04.entry[0]!.response.status).toMatch(/^201/); // a new Patient, not the victim
  const [encounter] = await search('Encounter', systems.maLk, s.encounter.number);
  expect(encounter!.subject?.reference).not.toBe(`Patient/${victim.id}`);

  await post(buildFhirBundle(s, 'A08', systems));
  const after = (await fhir.repo.readResource('Patient', victim.id)) as {
    name?: { text?: string }[];
    birthDate?: string;
    meta?: { versionId?: string };
  };
  expect(after.name?.[0]?.text).toBe('Nạn Nhân Thử');
  expect(after.birthDate).toBe('1960-02-02');
  expect(after.meta?.versionId).toBe(victim.meta?.versionId);
});

it('an A04 whose conditional create matched a Patient without our identifier is parked for staff, not trusted', async () => {
  await start();
  const systems = fhirSystems({});
  const victim = (await fhir.repo.createResource({
    resourceType: 'Patient',
    identifier: [{ system: systems.cccd, value: VICTIM_ID }],
    name: [{ text: 'Nạn Nhân Thử' }],
  } as never)) as { id: string };
  // A HIS whose search matched someone else (e.g. it ignores a search it does not support): here, the victim.
  fhir.rewrite = (bundle) => {
    const entry = bundle.entry?.[0];
    if (entry?.request?.ifNoneExist) entry.request.ifNoneExist = identifierQuery(systems.cccd, VICTIM_ID);
  };
  const { patient } = await testPatient(db);
  const encounter = await testEncounter(db, facility.id, roomId, patient, { targets: ['FHIR'] });
  const parked = await waitFor(async () => {
    const m = await db.handoffMessage.findFirst({ where: { encounterId: encounter.id } });
    return m?.status === 'PARKED' ? m : null;
  });
  expect(parked.lastError).toContain(`Patient/${victim.id}`);
  expect(parked.lastError).toContain('không mang mã định danh');
  expect(parked.attempts).toBe(1);

  // The same HIS matching correctly: the A11 after a delivered A04 matches our own Patient ("200 OK"): trusted.
  fhir.rewrite = null;
  const other = await testPatient(db);
  const e2 = await testEncounter(db, facility.id, roomId, other.patient, { targets: ['FHIR'] });
  await waitFor(
    async () => (await db.handoffMessage.count({ where: { encounterId: e2.id, status: 'DELIVERED' } })) === 1,
  );
  await testEvent(db, e2, 'A11', ['FHIR']);
  await waitFor(
    async () => (await db.handoffMessage.count({ where: { encounterId: e2.id, status: 'DELIVERED' } })) === 2,
  );
});
