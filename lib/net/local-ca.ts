import { createHash, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { z } from '../validation';

/**
 * `npm run cli -- tls init --host …`: a local certificate authority for the hospital LAN and a server certificate
 * it signs. The CA carries X.509 name constraints for exactly the hosts it was made for, so its private key (which
 * stays on the server, next to the server key) can mint nothing a thief could not already impersonate with the
 * server key itself. The CA is kept across runs (desks trust it once); the server certificate is re-issued each run.
 */

export const CA_YEARS = 10;
export const SERVER_DAYS = 825; // what Apple and most clients accept for a locally trusted server certificate

/** A name or address desks type to reach the server: a DNS name (RFC 1123) or an IPv4/IPv6 literal. */
export const tlsHostSchema = z
  .string()
  .trim()
  .toLowerCase()
  .refine(
    (h) =>
      net.isIP(h) !== 0 ||
      /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(h),
    'Tên máy hoặc địa chỉ IP không hợp lệ / not a host name or IP address.',
  )
  .refine(
    (h) => !['0.0.0.0', '::'].includes(h),
    "Dùng địa chỉ thật của máy chủ, không dùng 0.0.0.0 / use the server's real address, not 0.0.0.0.",
  );

/** Always in the certificate, so the server itself can open https://localhost. */
const LOCAL_NAMES = ['localhost', '127.0.0.1'];

export type TlsFiles = { dir: string; caCert: string; caKey: string; serverCert: string; serverKey: string };

export function tlsFiles(dataDir: string): TlsFiles {
  const dir = path.join(dataDir, 'tls');
  return {
    dir,
    caCert: path.join(dir, 'ca.crt'),
    caKey: path.join(dir, 'ca.key'),
    serverCert: path.join(dir, 'server.crt'),
    serverKey: path.join(dir, 'server.key'),
  };
}

export type IssueResult = {
  files: TlsFiles;
  caCreated: boolean;
  /** Why a new CA replaced an existing one (desks must then trust the new one), if it did. */
  caReplacedBecause: string | null;
  hosts: string[];
  caFingerprintSha1: string; // what Windows shows as "Thumbprint"
  caFingerprintSha256: string;
  serverNotAfter: Date;
  caNotAfter: Date;
};

const rsaKeyPair = () => {
  // Node makes the key (fast, native); forge builds and signs the certificates (Node has no X.509 writer).
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { pem, key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
};

const serial = () => `01${randomBytes(15).toString('hex')}`; // positive, 16 bytes

// (missing from @types/node-forge)
const ipBytes = (ip: string): string => (forge.util as unknown as { bytesFromIP(ip: string): string }).bytesFromIP(ip);

/** One spelling per name or address, so "::1" and "0:0:0:0:0:0:0:1" compare equal. */
const canonical = (host: string) =>
  net.isIP(host) ? `ip:${Buffer.from(ipBytes(host), 'binary').toString('hex')}` : `dns:${host.toLowerCase()}`;

const altName = (host: string) => (net.isIP(host) ? { type: 7, ip: host } : { type: 2, value: host });

/** NameConstraints (RFC 5280 §4.2.1.10): permitted subtrees for exactly these names and addresses. */
function nameConstraints(hosts: string[]) {
  const { asn1 } = forge;
  const subtree = (host: string) => {
    const base = net.isIP(host)
      ? asn1.create(
          asn1.Class.CONTEXT_SPECIFIC,
          7,
          false,
          ipBytes(host) + String.fromCharCode(...Array(net.isIPv4(host) ? 4 : 16).fill(0xff)),
        )
      : asn1.create(asn1.Class.CONTEXT_SPECIFIC, 2, false, host);
    return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [base]);
  };
  return {
    id: '2.5.29.30',
    name: 'nameConstraints',
    critical: true,
    value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, hosts.map(subtree)),
    ]),
  };
}

/** The names and addresses an existing CA may sign for (its permitted subtrees), canonical; null without constraints. */
function permittedHosts(caPem: string): string[] | null {
  const ext = forge.pki.certificateFromPem(caPem).getExtension('nameConstraints') as
    { permittedSubtrees?: { type: number; value: string }[] } | undefined;
  if (!ext?.permittedSubtrees) return null;
  return ext.permittedSubtrees.map(({ type, value }) =>
    type === 7
      ? `ip:${Buffer.from(value.slice(0, value.length / 2), 'binary').toString('hex')}`
      : `dns:${value.toLowerCase()}`,
  );
}

function fingerprint(pem: string, algorithm: 'sha1' | 'sha256') {
  const der = Buffer.from(
    forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(pem))).getBytes(),
    'binary',
  );
  return createHash(algorithm).update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}

function writePrivate(file: string, pem: string) {
  fs.writeFileSync(file, pem, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

/** Makes (or keeps) the CA and issues a server certificate for `hosts` under `<dataDir>/tls`. */
export function issueLocalCertificates(dataDir: string, requestedHosts: string[], now = new Date()): IssueResult {
  const hosts = [...new Set([...requestedHosts.map((h) => tlsHostSchema.parse(h)), ...LOCAL_NAMES])];
  const files = tlsFiles(dataDir);
  fs.mkdirSync(files.dir, { recursive: true, mode: 0o700 });

  let caPem: string | null = null;
  let caKeyPem: string | null = null;
  let caReplacedBecause: string | null = null;
  if (fs.existsSync(files.caCert) && fs.existsSync(files.caKey)) {
    const existing = fs.readFileSync(files.caCert, 'utf8');
    const permitted = permittedHosts(existing);
    const notAfter = new X509Certificate(existing).validTo;
    const missing = hosts.filter((h) => !permitted?.includes(canonical(h)));
    if (new Date(notAfter).getTime() - now.getTime() < 400 * 86_400_000)
      caReplacedBecause = `CA hết hạn ngày / expires on ${new Date(notAfter).toISOString().slice(0, 10)}`;
    else if (missing.length)
      caReplacedBecause = `CA cũ không được ký cho / the old CA may not sign for: ${missing.join(', ')}`;
    else {
      caPem = existing;
      caKeyPem = fs.readFileSync(files.caKey, 'utf8');
    }
  }

  let caCreated = false;
  if (!caPem || !caKeyPem) {
    const { pem, key, publicKey } = rsaKeyPair();
    const cert = forge.pki.createCertificate();
    cert.publicKey = publicKey;
    cert.serialNumber = serial();
    cert.validity.notBefore = new Date(now.getTime() - 60 * 60_000); // desk clocks drift
    cert.validity.notAfter = new Date(now.getTime() + CA_YEARS * 365 * 86_400_000);
    const name = [
      {
        name: 'commonName',
        value: `Tiếp đón CA nội bộ ${os.hostname().slice(0, 30)} ${now.toISOString().slice(0, 10)}`,
        valueTagClass: forge.asn1.Type.UTF8,
      },
      { name: 'organizationName', value: 'Tiep don (local CA)' },
    ] as unknown as forge.pki.CertificateField[]; // valueTagClass is mistyped in @types/node-forge
    cert.setSubject(name);
    cert.setIssuer(name);
    cert.setExtensions([
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
      nameConstraints(hosts),
    ]);
    cert.sign(key, forge.md.sha256.create());
    caPem = forge.pki.certificateToPem(cert);
    caKeyPem = pem;
    writePrivate(files.caKey, caKeyPem);
    fs.writeFileSync(files.caCert, caPem);
    caCreated = true;
  }

  const ca = forge.pki.certificateFromPem(caPem);
  const caKey = forge.pki.privateKeyFromPem(caKeyPem);
  const { pem: serverKeyPem, publicKey } = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60_000);
  cert.validity.notAfter = new Date(Math.min(now.getTime() + SERVER_DAYS * 86_400_000, ca.validity.notAfter.getTime()));
  cert.setSubject([
    { name: 'commonName', value: requestedHosts.length ? tlsHostSchema.parse(requestedHosts[0]) : 'localhost' },
  ]);
  // forge keeps parsed UTF8String values as bytes but encodes them again on write: decode first.
  cert.setIssuer(
    ca.subject.attributes.map((a) =>
      (a.valueTagClass as unknown) === forge.asn1.Type.UTF8
        ? { ...a, value: forge.util.decodeUtf8(String(a.value)) }
        : a,
    ),
  );
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: hosts.map(altName) },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  writePrivate(files.serverKey, serverKeyPem);
  fs.writeFileSync(files.serverCert, forge.pki.certificateToPem(cert));

  return {
    files,
    caCreated,
    caReplacedBecause,
    hosts,
    caFingerprintSha1: fingerprint(caPem, 'sha1'),
    caFingerprintSha256: fingerprint(caPem, 'sha256'),
    serverNotAfter: cert.validity.notAfter,
    caNotAfter: ca.validity.notAfter,
  };
}
