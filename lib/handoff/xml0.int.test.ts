import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { testDb, testFacility } from '../db/test-helpers';
import { loadSnapshot } from './snapshot';
import { validateXml0, xml0Document, xml0Record, XML0_FIELDS } from './xml0';
import { loadPkcs12, signXml0, verifyXml0 } from './xml0-sign';
import { xml0Transport } from './xml0-transport';
import { installJobQueue, startHandoffWorker } from './worker';
import { testEncounter, testPatient, testRoom, waitFor } from './test-fixtures';
import { testPkcs12 } from './test-cert';

const db = testDb();
const url = inject('databaseUrl');
const password = 'mat-khau-thu';
const { p12, certificatePem } = testPkcs12(password);
const other = testPkcs12('khac');
let facility: { id: string; code: string };
let roomId: string;

beforeAll(async () => {
  await installJobQueue(url);
  facility = await testFacility(db);
  roomId = (await testRoom(db, facility.id)).id;
});
afterAll(() => db.$disconnect());

describe('XML0 (BHXH check-in)', () => {
  it('has the 26 fields of the spec table in order, valid for a BHYT encounter', async () => {
    const { patient, coverage, personalId, card } = await testPatient(db, { bhyt: true });
    const e = await testEncounter(db, facility.id, roomId, patient, { coverageId: coverage!.id, targets: [] });
    const record = xml0Record(await loadSnapshot(db, e.id), {});
    expect(Object.keys(record)).toEqual(XML0_FIELDS.map((f) => f.name));
    expect(XML0_FIELDS).toHaveLength(26);
    expect(validateXml0(record)).toEqual([]);
    expect(record).toMatchObject({
      SO_CCCD: personalId,
      MA_THE_BHYT: card,
      GIOI_TINH: '1',
      NGAY_SINH: '199005200000',
      MA_LOAI_KCB: '01',
      MA_CSKCB: facility.code,
      GT_THE_TU: '20260101',
    });
    const doc = new DOMParser().parseFromString(xml0Document(record), 'text/xml');
    const row = doc.getElementsByTagName('TRANG_THAI_KCB')[0]!;
    const children = Array.from({ length: row.childNodes.length }, (_, i) => row.childNodes[i]!).filter(
      (n) => n.nodeType === 1,
    );
    expect(children.map((n) => n.nodeName)).toEqual(XML0_FIELDS.map((f) => f.name));
    expect(doc.getElementsByTagName('CHUKYDONVI')).toHaveLength(1);
  });

  it('validation catches a missing required field, a wrong format and an over-long value', () => {
    const good = Object.fromEntries(XML0_FIELDS.map((f) => [f.name, ''])) as Record<string, string>;
    Object.assign(good, {
      MA_LK: 'X',
      STT: '1',
      MA_BN: 'B',
      HO_TEN: 'Thử',
      NGAY_SINH: '199001010000',
      GIOI_TINH: '1',
      MA_DOITUONG_KCB: '1.1',
      NGAY_VAO: '202611250800',
      MA_LOAI_KCB: '01',
      MA_CSKCB: '79999',
      NGAY_YL: '202611250801',
    });
    expect(validateXml0(good)).toEqual([]);
    expect(validateXml0({ ...good, HO_TEN: '' })).toEqual(['HO_TEN: bắt buộc']);
    expect(validateXml0({ ...good, GIOI_TINH: '4' })).toEqual(['GIOI_TINH: sai định dạng']);
    expect(validateXml0({ ...good, MA_CSKCB: '799999' })).toEqual(['MA_CSKCB: dài quá 5 ký tự']);
  });

  it('signed with XMLDSig (enveloped, RSA-SHA256) into CHUKYDONVI: verifies with the public key, fails after one changed byte', async () => {
    const { patient, coverage } = await testPatient(db, { bhyt: true });
    const e = await testEncounter(db, facility.id, roomId, patient, { coverageId: coverage!.id, targets: [] });
    const key = loadPkcs12(p12, password);
    const signed = signXml0(xml0Document(xml0Record(await loadSnapshot(db, e.id), {})), key);
    expect(signed).toMatch(/<CHUKYDONVI><Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">/);
    expect(signed).toContain('Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"');
    expect(signed).toContain('Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"');
    expect(signed).toContain('<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"');
    expect(signed).toContain('<X509Certificate>');
    expect(verifyXml0(signed, certificatePem)).toBe(true);
    expect(verifyXml0(signed, other.certificatePem)).toBe(false);
    const tampered = signed.replace('<GIOI_TINH>1</GIOI_TINH>', '<GIOI_TINH>2</GIOI_TINH>');
    expect(tampered).not.toBe(signed);
    expect(verifyXml0(tampered, certificatePem)).toBe(false);
    // any single byte of the signed content
    const at = signed.indexOf('<MA_CSKCB>') + '<MA_CSKCB>'.length;
    const flipped = signed.slice(0, at) + (signed[at] === '7' ? '8' : '7') + signed.slice(at + 1);
    expect(verifyXml0(flipped, certificatePem)).toBe(false);
  });

  it('sent by the app (BHXH_XML0_SENDER=app) to a BHXH-like endpoint: signed once, stored as sent, maGiaoDich kept', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xml0-'));
    const p12Path = path.join(dir, 'facility.p12');
    fs.writeFileSync(p12Path, p12);
    const posted: { path: string; headers: http.IncomingHttpHeaders; form: URLSearchParams }[] = [];
    let failFirst = true;
    const gateway = http.createServer(async (req, res) => {
      let body = '';
      for await (const c of req) body += c;
      posted.push({ path: req.url ?? '', headers: req.headers, form: new URLSearchParams(body) });
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/token/take')
        return res.end(JSON.stringify({ maKetQua: '200', APIKey: { access_token: 'tok', id_token: 'idt' } }));
      if (failFirst) {
        failFirst = false;
        return res.end(JSON.stringify({ maKetQua: '500', thongDiep: 'Lỗi hệ thống (giả lập)' }));
      }
      res.end(JSON.stringify({ maKetQua: '200', maGiaoDich: 'GD-THU-0001', thoiGianTiepNhan: '20261125080701' }));
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    const env = {
      BHXH_XML0_SENDER: 'app',
      BHXH_SIGNING_P12: p12Path,
      BHXH_SIGNING_P12_PASSWORD: password,
      BHXH_GATEWAY_URL: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`,
      BHXH_GATEWAY_USER: '79999_BV',
      BHXH_GATEWAY_PASSWORD: 'thu',
    };
    const worker = await startHandoffWorker({
      connectionString: url,
      concurrency: 1,
      transports: { BHXH_XML0: xml0Transport(env, 2_000)! },
      env: { ...env, HANDOFF_BACKOFF_BASE_MS: '100', HANDOFF_BACKOFF_MAX_MS: '200' },
    });
    try {
      const { patient, coverage } = await testPatient(db, { bhyt: true });
      const e = await testEncounter(db, facility.id, roomId, patient, {
        coverageId: coverage!.id,
        targets: ['BHXH_XML0'],
      });
      const emergency = await testEncounter(db, facility.id, roomId, (await testPatient(db, { bhyt: true })).patient, {
        coverageId: coverage!.id,
        targets: ['BHXH_XML0'],
        emergency: true,
      });
      expect(await db.handoffMessage.count({ where: { encounterId: emergency.id } })).toBe(0); // no check-in for emergencies
      const m = await waitFor(async () => {
        const row = await db.handoffMessage.findFirst({ where: { encounterId: e.id } });
        return row?.status === 'DELIVERED' ? row : null;
      });
      expect(m.event).toBe('XML0');
      expect(m.externalRef).toBe('GD-THU-0001');
      expect(m.attempts).toBe(2);
      const checkins = posted.filter((p) => p.path === '/api/qd130/checkInKcbQd4750');
      expect(checkins).toHaveLength(2);
      expect(checkins[0]!.form.get('loaiHoSo')).toBe('0');
      expect(checkins[0]!.headers.accesstoken).toBe('tok');
      const sent = checkins.map((c) => Buffer.from(c.form.get('fileHSBase64')!, 'base64').toString('utf8'));
      expect(sent[0]).toBe(sent[1]); // the retry resends the stored signed bytes
      expect(sent[1]).toBe(m.payload);
      expect(verifyXml0(m.payload!, certificatePem)).toBe(true);
    } finally {
      await worker.stop();
      await new Promise((r) => gateway.close(r));
    }
  });
});
