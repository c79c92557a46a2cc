import { Hl7Message } from '@medplum/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import pg from 'pg';
import { testDb, testFacility } from '../../db/test-helpers';
import type { Principal } from '../../auth/roles';
import { cccdPayload } from '../../identity/test-fixtures';
import { checkIn } from '../../encounters/check-in';
import { installJobQueue, startHandoffWorker, type HandoffWorker } from '../../handoff/worker';
import { TestHis } from '../../handoff/test-his';
import { TestFhirServer } from '../../handoff/test-fhir';
import { waitFor } from '../../handoff/test-fixtures';
import { buildFhirBundle, buildFhirMergeBundle, fhirSystems } from '../../handoff/fhir';
import { loadMergeSnapshot, loadSnapshot } from '../../handoff/snapshot';
import { mergePatients, unmergePatients } from '../merge';
import { runImport } from './run';
import { csvText, personRow, syntheticPerson, VN_HEADERS, type SyntheticPerson } from './test-files';

/**
 * The import seen from the desk and the HIS (real PostgreSQL, graphile-worker, MLLP to a test HIS): an imported
 * person's CCCD scanned at the desk finds their record and the A04 carries the HIS's code in PID-3; two imported
 * records merged reach the HIS as one ADT^A40 naming both codes, after the merged record's pending messages.
 */
const db = testDb();
const url = inject('databaseUrl');
const pool = new pg.Pool({ connectionString: url, max: 2 });
let dir: string;
let facility: { id: string; code: string };
let desk: Principal;
let support: Principal;
let his: TestHis;
let worker: HandoffWorker | null = null;
const people: SyntheticPerson[] = [];

const startWorker = async () => {
  worker = await startHandoffWorker({
    connectionString: url,
    concurrency: 2,
    env: {
      HIS_MLLP_URL: his.url,
      HIS_ACK_TIMEOUT_MS: '2000',
      HANDOFF_SWEEP_MS: '500',
      HANDOFF_BACKOFF_BASE_MS: '100',
      HANDOFF_BACKOFF_MAX_MS: '400',
    },
  });
};
const scan = (p: SyntheticPerson) =>
  cccdPayload({
    id: p.personalId,
    name: p.fullName,
    dob: `${p.birthDate.slice(8, 10)}${p.birthDate.slice(5, 7)}${p.birthDate.slice(0, 4)}`,
    sex: p.sex === 'M' ? 'Nam' : 'Nữ',
    address: p.address,
    issued: '05082024',
    layout: '2024',
  });
const pid3 = (raw: string) => Hl7Message.parse(raw).getSegment('PID')!.getField(3).toString();
const mrg1 = (raw: string) => Hl7Message.parse(raw).getSegment('MRG')!.getField(1).toString();
const byId = (p: SyntheticPerson) =>
  db.patient.findFirstOrThrow({ where: { identifiers: { some: { system: 'PERSONAL_ID', value: p.personalId } } } });

beforeAll(async () => {
  await installJobQueue(url);
  dir = await mkdtemp(path.join(tmpdir(), 'import-handoff-'));
  facility = await testFacility(db);
  await db.room.create({
    data: { facilityId: facility.id, code: 'P01', name: 'Phòng khám Nội 1', department: 'Khoa Khám bệnh' },
  });
  desk = {
    kind: 'API_KEY',
    id: '00000000-0000-4000-8000-0000000000d1',
    name: 'desk',
    role: 'RECEPTIONIST',
    facilityId: facility.id,
    facilityCode: facility.code,
  };
  support = {
    kind: 'USER',
    id: '00000000-0000-4000-8000-0000000000d2',
    name: 'hotro',
    fullName: 'Hỗ Trợ Thử',
    role: 'SUPPORT',
    facilityId: facility.id,
    facilityCode: facility.code,
  };
  his = await new TestHis().start();
  const s = randomInt(2000, 9000);
  people.push(...Array.from({ length: 3 }, (_, i) => syntheticPerson(i, s)));
  const file = path.join(dir, 'his.csv');
  await writeFile(file, '\ufeff' + csvText([VN_HEADERS, ...people.map(personRow)]));
  const job = await runImport(pool, {
    facilityId: facility.id,
    path: file,
    fileName: 'his.csv',
    actor: { name: 'cli:test', facilityId: facility.id },
  });
  expect(job.counts).toMatchObject({ created: 3 });
});
afterAll(async () => {
  await worker?.stop();
  await his.stop();
  await pool.end();
  await db.$disconnect();
  await rm(dir, { recursive: true, force: true });
});

describe('imported patients at the desk and in the HIS', () => {
  it("the desk finds an imported person by their CCCD (no new record) and the HIS's A04 carries the imported code in PID-3", async () => {
    await startWorker();
    const before = await db.patient.count();
    const r = await checkIn(db, desk, { raw: scan(people[0]!), roomCode: 'P01' });
    if (r.status !== 'created') throw new Error(r.status);
    expect(r.patient.id).toBe((await byId(people[0]!)).id);
    expect(await db.patient.count()).toBe(before);
    const a04 = await waitFor(async () =>
      his.received.find((m) => m.event === 'A04' && m.visit.startsWith(r.encounter.number)),
    );
    expect(pid3(a04.raw).split('~')[0]).toBe(`${people[0]!.hospitalCode}^^^${facility.code}^MR`);
    expect(pid3(a04.raw)).toContain(`${people[0]!.personalId}^^^BCA^NNVNM`);
  });

  it("a merge of two imported records reaches the HIS as one ADT^A40 naming both codes, after the merged record's pending A04", async () => {
    await worker?.stop();
    worker = null;
    const [survivor, merged] = [await byId(people[1]!), await byId(people[2]!)];
    // The duplicate was checked in while no worker ran: its A04 is still waiting when the records are merged.
    const visit = await checkIn(db, desk, { raw: scan(people[2]!), roomCode: 'P01' });
    if (visit.status !== 'created') throw new Error(visit.status);
    const pending = await db.handoffMessage.findFirstOrThrow({ where: { encounterId: visit.encounter.id } });
    expect(pending.status).toBe('PENDING');
    const { merge } = await mergePatients(db, support, {
      survivorId: survivor.id,
      mergedId: merged.id,
      reason: 'HIS có hai mã cho một người',
    });
    expect((await db.handoffMessage.findUniqueOrThrow({ where: { id: pending.id } })).patientId).toBe(survivor.id);
    await startWorker();
    // Other test files leave merges of their own waiting in this shared database: count only this merge's A40s.
    const ours = () => his.received.filter((m) => m.event === 'A40' && mrg1(m.raw).includes(people[2]!.personalId));
    const a40 = await waitFor(async () => ours()[0]);
    expect(ours()).toHaveLength(1);
    expect(a40.raw).toContain('ADT^A40^ADT_A39');
    expect(pid3(a40.raw).split('~')[0]).toBe(`${people[1]!.hospitalCode}^^^${facility.code}^MR`);
    expect(mrg1(a40.raw).split('~')[0]).toBe(`${people[2]!.hospitalCode}^^^${facility.code}^MR`);
    expect(mrg1(a40.raw)).toContain(`${people[2]!.personalId}^^^BCA^NNVNM`);
    // In order: the merged record's A04 (as it was: its own code) reached the HIS before the merge did.
    const a04 = his.received.find((m) => m.controlId === pending.messageControlId)!;
    expect(pid3(a04.raw).split('~')[0]).toBe(`${people[2]!.hospitalCode}^^^${facility.code}^MR`);
    expect(his.received.indexOf(a04)).toBeLessThan(his.received.indexOf(a40));
    await waitFor(
      async () =>
        (await db.handoffMessage.findFirst({ where: { event: 'A40', patientId: survivor.id, status: 'DELIVERED' } })) ??
        null,
    );

    // The merged code still finds the person but is no longer sent: the next A04 carries the survivor's code only.
    // (Checked in today in P01 already: the merged record's visit is the survivor's now.)
    const again = await checkIn(db, desk, {
      identifier: { system: 'HOSPITAL_CODE', value: people[2]!.hospitalCode },
      roomCode: 'P01',
    });
    if (again.status !== 'existing') throw new Error(again.status);
    expect(again.patient.id).toBe(survivor.id);
    expect(again.encounter.id).toBe(visit.encounter.id);
    const snapshot = await loadSnapshot(db, visit.encounter.id);
    expect(snapshot.patient.identifiers.filter((i) => i.system === 'HOSPITAL_CODE').map((i) => i.value)).toEqual([
      people[1]!.hospitalCode,
    ]);

    // Undone here, the HIS must be told by people: the record says what to undo there.
    const undone = await unmergePatients(db, support, { mergeId: merge.id, reason: 'Gộp nhầm' });
    expect(undone.merge.hisNote).toContain(`mã ${people[2]!.hospitalCode} vào hồ sơ mã ${people[1]!.hospitalCode}`);
    expect(undone.merge.hisNote).toContain('HIS đã nhận');
    expect(
      await db.patientIdentifier.count({ where: { patientId: merged.id, system: 'HOSPITAL_CODE', retiredAt: null } }),
    ).toBe(1);
  });

  it('the FHIR equivalent: the merged Patient becomes inactive, replaced-by the survivor (Medplum FHIR server)', async () => {
    const fhir = await new TestFhirServer().start();
    try {
      const [a, b] = [await byId(people[1]!), await byId(people[2]!)];
      const post = (bundle: unknown) =>
        fetch(fhir.url, {
          method: 'POST',
          headers: { 'content-type': 'application/fhir+json' },
          body: JSON.stringify(bundle),
        });
      // The HIS knows both records (their A04s), then gets the merge.
      const visits = await db.encounter.findMany({ where: { patientId: { in: [a.id, b.id] } }, select: { id: true } });
      for (const v of visits)
        expect((await post(buildFhirBundle(await loadSnapshot(db, v.id), 'A04'))).status).toBe(200);
      const snapshot = await loadMergeSnapshot(db, {
        survivorId: a.id,
        mergedId: b.id,
        facilityId: facility.id,
        operator: null,
      });
      const res = await post(buildFhirMergeBundle(snapshot));
      expect(res.status).toBe(200);
      const search = async (value: string) =>
        (
          (await (
            await fetch(`${fhir.url}/Patient?identifier=${encodeURIComponent(`${fhirSystems().cccd}|${value}`)}`)
          ).json()) as {
            entry: {
              resource: { id: string; active?: boolean; link?: { type: string; other: { reference: string } }[] };
            }[];
          }
        ).entry.map((e) => e.resource);
      const [survivorFhir] = await search(people[1]!.personalId);
      const [mergedFhir] = await search(people[2]!.personalId);
      expect(mergedFhir).toMatchObject({
        active: false,
        link: [{ type: 'replaced-by', other: { reference: `Patient/${survivorFhir!.id}` } }],
      });
      expect(survivorFhir!.active).not.toBe(false);
    } finally {
      await fhir.stop();
    }
  });
});
