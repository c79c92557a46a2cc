import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import tls from 'node:tls';

export type ServerTls = {
  cert: Buffer;
  key: Buffer;
  certPath: string;
  keyPath: string;
  notAfter: Date;
  names: string[];
};

/**
 * The certificate and key the web server serves HTTPS with: `HTTPS_CERT` and `HTTPS_KEY` (PEM files), both or
 * neither. Checked before anything starts, so a wrong path or a key that does not match the certificate is one
 * clear message instead of a crash loop.
 */
export function loadServerTls(env: Record<string, string | undefined> = process.env): ServerTls | null {
  const certPath = env.HTTPS_CERT?.trim();
  const keyPath = env.HTTPS_KEY?.trim();
  if (!certPath && !keyPath) return null;
  if (!certPath || !keyPath) {
    throw new Error(
      'Cần cả HTTPS_CERT và HTTPS_KEY (đường dẫn tệp PEM) / set both HTTPS_CERT and HTTPS_KEY (PEM file paths).',
    );
  }
  const read = (file: string, what: string) => {
    try {
      return fs.readFileSync(file);
    } catch (error) {
      throw new Error(
        `Không đọc được ${what} ${file} / cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  };
  const cert = read(certPath, 'HTTPS_CERT');
  const key = read(keyPath, 'HTTPS_KEY');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
    tls.createSecureContext({ cert, key }); // throws when the key does not belong to the certificate
  } catch (error) {
    throw new Error(
      `HTTPS_CERT/HTTPS_KEY không dùng được / unusable: ${(error as Error).message}. Tạo lại / make new ones: npm run cli -- tls init --host <tên-máy-hoặc-IP>`,
    );
  }
  const names = (x509.subjectAltName ?? '')
    .split(', ')
    .filter(Boolean)
    .map((n) => n.replace(/^(DNS|IP Address):/, ''));
  return { cert, key, certPath, keyPath, notAfter: new Date(x509.validTo), names };
}
