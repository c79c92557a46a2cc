import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { testDb, testFacility } from '../db/test-helpers';
import { installJobQueue, startHandoffWorker, type HandoffWorker } from './worker';
import { fhirTransport } from './fhir-transport';
import { TestFhirServer } from './test-fhir';
import { testEncounter, testEvent, testPatient, testRoom, waitFor } from './test-fixtures';
import { fhirSystems } from './fhir';

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
  (await fhir.repo.searchResources({ resourceType: type, filters: [{ code: 'identifier', operator: 'eq' as never, value: `${system}|${value}` }] })) as { id?: string; status?: string; class?: { code?: string }; subject?: { reference?: string }; beneficiary?: { reference?: string } }[];

it('A04 creates Patient + Coverage + Encounter (arrived, AMB); a replay creates nothing new; A11 cancels', async () => {
  await start();
  const systems = fhirSystems({});
  const { patient, coverage, personalId, card } = await testPatient(db, { bhyt: true });
  const encounter = await testEncounter(db, facility.id, roomId, patient, { coverageId: coverage!.id, targets: ['FHIR'] });
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
  const replay = await fetch(fhir.url, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: m!.payload! });
  const replayBody = (await replay.json()) as { entry: { response: { status: string } }[] };
  expect(replayBody.entry.map((e) => e.response.status.slice(0, 3))).toEqual(['200', '200', '200']);
  expect((await search('Patient', systems.cccd, personalId)).length).toBe(1);
  expect((await search('Encounter', systems.maLk, encounter.number)).length).toBe(1);

  await testEvent(db, encounter, 'A11', ['FHIR']);
  await waitFor(async () => (await db.handoffMessage.count({ where: { encounterId: encounter.id, status: 'DELIVERED' } })) === 2);
  const after = await search('Encounter', systems.maLk, encounter.number);
  expect(after).toHaveLength(1);
  expect(after[0]!.status).toBe('cancelled');
});

it('a 5xx from the FHIR server is retried; a 4xx parks the message', async () => {
  await start();
  fhir.failWith = 503;
  const { patient } = await testPatient(db);
  const encounter = await testEncounter(db, facility.id, roomId, patient, { targets: ['FHIR'] });
  await waitFor(async () => (await db.handoffMessage.findFirst({ where: { encounterId: encounter.id } }))?.status === 'FAILED');
  fhir.failWith = null;
  await waitFor(async () => (await db.handoffMessage.findFirst({ where: { encounterId: encounter.id } }))?.status === 'DELIVERED');

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
