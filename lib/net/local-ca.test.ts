import { afterAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import forge from 'node-forge';
import { issueLocalCertificates, tlsHostSchema } from './local-ca';
import { loadServerTls } from './server-tls';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiepdon-tls-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A real TLS handshake on loopback: the server presents `cert`, the client trusts only `ca` and expects `name`. */
async function handshake(cert: string, key: string, ca: string, name: string): Promise<'ok' | string> {
  const server = tls.createServer({ cert, key }, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    return await new Promise((resolve) => {
      const socket = tls.connect(
        {
          host: '127.0.0.1',
          port,
          ca,
          servername: /^[\d.]+$/.test(name) ? undefined : name,
          checkServerIdentity: (_h, c) => tls.checkServerIdentity(name, c),
        },
        () => {
          socket.destroy();
          resolve('ok');
        },
      );
      socket.on('error', (error) => resolve(`${(error as NodeJS.ErrnoException).code}: ${error.message}`));
    });
  } finally {
    server.close();
  }
}

const read = (file: string) => fs.readFileSync(file, 'utf8');

describe('tls init: local CA and server certificate', () => {
  it('issues a server certificate a client trusting only the CA accepts, for each host and for localhost', async () => {
    const dir = tempDir();
    const result = issueLocalCertificates(dir, ['198.18.7.1', 'TiepDon.BV.local']);
    const { files } = result;
    expect(result.caCreated).toBe(true);
    expect(result.hosts).toEqual(['198.18.7.1', 'tiepdon.bv.local', 'localhost', '127.0.0.1']);
    for (const name of ['198.18.7.1', 'tiepdon.bv.local', 'localhost', '127.0.0.1']) {
      expect(await handshake(read(files.serverCert), read(files.serverKey), read(files.caCert), name)).toBe('ok');
    }
    expect(
      await handshake(read(files.serverCert), read(files.serverKey), read(files.caCert), 'other.bv.local'),
    ).toMatch(/^ERR_TLS_CERT_ALTNAME_INVALID/);
    // Without the CA, the certificate is not trusted: the CA really is what makes it work.
    expect(
      await handshake(
        read(files.serverCert),
        read(files.serverKey),
        read(issueLocalCertificates(tempDir(), ['198.18.7.1']).files.caCert),
        '198.18.7.1',
      ),
    ).toMatch(/^UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    // Private keys are readable by their owner only.
    expect(fs.statSync(files.caKey).mode & 0o777).toBe(0o600);
    expect(fs.statSync(files.serverKey).mode & 0o777).toBe(0o600);
    // What the launcher reads: the same files through HTTPS_CERT/HTTPS_KEY.
    const loaded = loadServerTls({ HTTPS_CERT: files.serverCert, HTTPS_KEY: files.serverKey });
    expect(loaded?.names).toEqual(['198.18.7.1', 'tiepdon.bv.local', 'localhost', '127.0.0.1']);
    expect(loaded!.notAfter.getTime()).toBe(Math.floor(result.serverNotAfter.getTime() / 1000) * 1000);
  });

  it('keeps the CA on a second run (desks trust it once) and re-issues the server certificate', () => {
    const dir = tempDir();
    const first = issueLocalCertificates(dir, ['198.18.7.1']);
    const firstServer = read(first.files.serverCert);
    const second = issueLocalCertificates(dir, ['198.18.7.1']);
    expect(second.caCreated).toBe(false);
    expect(second.caFingerprintSha256).toBe(first.caFingerprintSha256);
    expect(read(second.files.serverCert)).not.toBe(firstServer);
    // A host the CA may not sign for needs a new CA, and says so.
    const third = issueLocalCertificates(dir, ['198.18.7.1', '198.18.7.9']);
    expect(third.caCreated).toBe(true);
    expect(third.caReplacedBecause).toContain('198.18.7.9');
    expect(third.caFingerprintSha256).not.toBe(first.caFingerprintSha256);
  });

  it('constrains the CA: a certificate its key signs for any other name is refused', async () => {
    const { files } = issueLocalCertificates(tempDir(), ['198.18.7.1', 'tiepdon.bv.local']);
    // A thief with ca.key mints a certificate for another site…
    const ca = forge.pki.certificateFromPem(read(files.caCert));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
    const rogue = forge.pki.createCertificate();
    rogue.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
    rogue.serialNumber = '0badc0de';
    rogue.validity.notBefore = new Date(Date.now() - 60_000);
    rogue.validity.notAfter = new Date(Date.now() + 86_400_000);
    rogue.setSubject([{ name: 'commonName', value: 'bank.example' }]);
    rogue.setIssuer(
      ca.subject.attributes.map((a) =>
        (a.valueTagClass as unknown) === forge.asn1.Type.UTF8
          ? { ...a, value: forge.util.decodeUtf8(String(a.value)) }
          : a,
      ),
    );
    rogue.setExtensions([
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'bank.example' },
          { type: 7, ip: '198.18.9.9' },
        ],
      },
    ]);
    rogue.sign(forge.pki.privateKeyFromPem(read(files.caKey)), forge.md.sha256.create());
    const rogueCert = forge.pki.certificateToPem(rogue);
    // …that a client trusting the CA refuses (RFC 5280 name constraints), while the real one is accepted.
    expect(await handshake(rogueCert, keyPem, read(files.caCert), 'bank.example')).toMatch(
      /permitted subtree violation/,
    );
    expect(await handshake(read(files.serverCert), read(files.serverKey), read(files.caCert), 'tiepdon.bv.local')).toBe(
      'ok',
    );
  });

  it('accepts host names and IP addresses only', () => {
    for (const ok of ['10.20.0.5', 'tiepdon', 'tiepdon.benhvien.local', 'fd00::5'])
      expect(tlsHostSchema.safeParse(ok).success).toBe(true);
    for (const bad of ['0.0.0.0', '::', '*.benhvien.local', 'tiep don', 'https://x', '-x.local', ''])
      expect(tlsHostSchema.safeParse(bad).success).toBe(false);
  });
});

describe('HTTPS_CERT / HTTPS_KEY', () => {
  it('are both needed, must be readable, and the key must belong to the certificate', () => {
    const a = issueLocalCertificates(tempDir(), ['198.18.7.1']).files;
    const b = issueLocalCertificates(tempDir(), ['198.18.7.1']).files;
    expect(loadServerTls({})).toBeNull();
    expect(() => loadServerTls({ HTTPS_CERT: a.serverCert })).toThrow(/HTTPS_CERT và HTTPS_KEY/);
    expect(() => loadServerTls({ HTTPS_CERT: a.serverCert, HTTPS_KEY: '/khong/co.key' })).toThrow(/ENOENT/);
    expect(() => loadServerTls({ HTTPS_CERT: a.serverCert, HTTPS_KEY: b.serverKey })).toThrow(
      /không dùng được.*tls init/,
    );
  });
});
