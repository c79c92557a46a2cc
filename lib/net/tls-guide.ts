import path from 'node:path';
import net from 'node:net';
import type { IssueResult } from './local-ca';
import { formatDate } from '../time/local-day';

/** What `tls init` prints: where the files are, how to turn HTTPS on, and how to trust the CA on Windows desks. */
export function tlsGuide(result: IssueResult, port: number): string {
  const { files } = result;
  const rel = (file: string) =>
    path.relative(process.cwd(), file).startsWith('..') ? file : path.relative(process.cwd(), file);
  const lanHosts = result.hosts.filter((h) => h !== 'localhost' && h !== '127.0.0.1');
  const url = (h: string) => `https://${net.isIPv6(h) ? `[${h}]` : h}:${port}`;
  const caLine = result.caCreated
    ? result.caReplacedBecause
      ? `CA MỚI (thay CA cũ: ${result.caReplacedBecause}). Máy tiếp đón phải tin cậy CA mới này. / NEW CA (replaces the old one): every desk PC must trust this new CA.`
      : 'CA mới / new CA'
    : 'CA cũ được giữ nguyên: máy tiếp đón đã tin cậy CA này không cần làm lại / existing CA kept: desks that trust it need nothing new';
  return `
== Chứng chỉ HTTPS / HTTPS certificate ==
  CA nội bộ / local CA:      ${rel(files.caCert)}   (${caLine})
      hết hạn / expires ${formatDate(result.caNotAfter)}
      Thumbprint (SHA-1, Windows hiển thị / as Windows shows it): ${result.caFingerprintSha1}
      SHA-256: ${result.caFingerprintSha256}
  Chứng chỉ máy chủ / server: ${rel(files.serverCert)} + ${rel(files.serverKey)}
      cho / for: ${result.hosts.join(', ')} — hết hạn / expires ${formatDate(result.serverNotAfter)}
  Khóa riêng / private keys (${rel(files.caKey)}, ${rel(files.serverKey)}) chỉ ở trên máy chủ, không bao giờ chép đi.
  The private keys stay on this server: never copy them anywhere. The CA may sign only for the names above.

1) Bật HTTPS / Turn HTTPS on — khởi động lại ứng dụng với / restart the app with:
     HTTPS_CERT=${files.serverCert} \\
     HTTPS_KEY=${files.serverKey} \\
     HOST=0.0.0.0 npm start
   Máy tiếp đón mở / desks open: ${(lanHosts.length ? lanHosts : ['localhost']).map(url).join('  ')}
   (Chạy lại "tls init" trước ngày hết hạn rồi khởi động lại; CA được giữ nguyên.
    Run "tls init" again before the expiry date and restart; the CA is kept.)

2) Tin cậy CA trên từng máy tiếp đón Windows (một lần) / Trust the CA on each Windows desk PC (once):
   - Chép ${path.basename(files.caCert)} sang máy (USB, thư mục chia sẻ). Copy ${path.basename(files.caCert)} to the PC.
   - Mở Command Prompt bằng "Run as administrator" / open an administrator Command Prompt:
         certutil -addstore -f Root ca.crt
     (không có quyền quản trị / without admin rights, for the current Windows user only:
         certutil -user -addstore Root ca.crt)
   - Hoặc bằng MMC / or with MMC: Win+R → mmc → File → Add/Remove Snap-in → Certificates → Computer account →
     Trusted Root Certification Authorities → Certificates → chuột phải / right-click → All Tasks → Import → ca.crt
   - Nhiều máy trong domain / many PCs in a domain: Group Policy Management → Computer Configuration → Policies →
     Windows Settings → Security Settings → Public Key Policies → Trusted Root Certification Authorities → Import.
   - Chrome và Edge dùng kho chứng chỉ của Windows: đóng hết cửa sổ trình duyệt rồi mở lại.
     Chrome and Edge use the Windows store: close every browser window and open again.
     Kiểm tra / check: ổ khóa / padlock → Certificate → Certification Path ends at this CA, Thumbprint as above.
   - Firefox: about:config → security.enterprise_roots.enabled = true (dùng kho của Windows / use the Windows store).
   - Kiểm tra Thumbprint trước khi tin cậy: ai có CA giả mạo trên máy tiếp đón có thể đọc được mọi thứ.
     Check the Thumbprint before trusting: a forged CA on a desk PC would let its owner read everything.
`;
}
