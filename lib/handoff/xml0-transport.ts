import type { Env } from './config';
import { createHash } from 'node:crypto';
import { errorText, type SendOutcome, type Transport } from './transport';
import { loadPkcs12File, signXml0, type SigningKey } from './xml0-sign';
import { jsonLimited } from '../http/body';

/** The gateway's answers (token, check-in receipt) are small JSON objects; more is cut off unread. */
export const MAX_GATEWAY_RESPONSE_BYTES = 256 * 1024;

/**
 * Sends the signed XML0 to the BHXH gateway when the hospital chose that this app (not the HIS) sends it
 * (BHXH_XML0_SENDER=app). Flow from CV 1245 (spec §2.5): take a token, then POST the base64 file with
 * loaiHoSo=0. Endpoint names after QĐ 3176 are (uncertain): the full check-in URL is configuration.
 *
 * Configuration: BHXH_GATEWAY_URL (base, e.g. https://egw.baohiemxahoi.gov.vn), BHXH_CHECKIN_PATH
 * (default /api/qd130/checkInKcbQd4750), BHXH_GATEWAY_USER, BHXH_GATEWAY_PASSWORD (as the card lookup), BHXH_SIGNING_P12, BHXH_SIGNING_P12_PASSWORD.
 */
export function xml0Transport(env: Env, timeoutMs: number): Transport | null {
  if (env.BHXH_XML0_SENDER !== 'app' || !env.BHXH_SIGNING_P12) return null;
  let key: SigningKey | null = null;
  const signingKey = () => (key ??= loadPkcs12File(env.BHXH_SIGNING_P12!, env.BHXH_SIGNING_P12_PASSWORD ?? ''));
  const base = (env.BHXH_GATEWAY_URL ?? '').replace(/\/+$/, '');
  const md5 = (s: string) => createHash('md5').update(s).digest('hex').toUpperCase();
  return {
    async prepare(message) {
      // Signed once, at the first attempt; a retry resends the stored signed bytes unchanged.
      return message.payload.includes('<Signature') ? message.payload : signXml0(message.payload, signingKey());
    },
    async send(message): Promise<SendOutcome> {
      if (!base) return { kind: 'unconfigured', text: 'Chưa cấu hình BHXH_GATEWAY_URL' };
      const facility = /<MA_CSKCB>([^<]*)<\/MA_CSKCB>/.exec(message.payload)?.[1] ?? '';
      try {
        const password = md5(env.BHXH_GATEWAY_PASSWORD ?? '');
        const tokenRes = await fetch(`${base}/api/token/take`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ username: env.BHXH_GATEWAY_USER ?? '', password }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const token = await jsonLimited<{ maKetQua?: string; APIKey?: { access_token?: string; id_token?: string } }>(
          tokenRes,
          MAX_GATEWAY_RESPONSE_BYTES,
        );
        if (token.maKetQua !== '200' || !token.APIKey?.access_token) {
          return {
            kind: 'refused',
            ackCode: token.maKetQua ?? String(tokenRes.status),
            text: 'Cổng BHXH từ chối đăng nhập',
            retry: true,
          };
        }
        const res = await fetch(`${base}${env.BHXH_CHECKIN_PATH ?? '/api/qd130/checkInKcbQd4750'}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            accessToken: token.APIKey.access_token,
            tokenId: token.APIKey.id_token ?? '',
            passwordHash: password,
          },
          body: new URLSearchParams({
            username: env.BHXH_GATEWAY_USER ?? '',
            loaiHoSo: '0',
            maTinh: facility.slice(0, 2),
            maCSKCB: facility,
            fileHSBase64: Buffer.from(message.payload, 'utf8').toString('base64'),
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const answer = await jsonLimited<{ maKetQua?: string; maGiaoDich?: string; thongDiep?: string }>(
          res,
          MAX_GATEWAY_RESPONSE_BYTES,
        );
        if (answer.maKetQua === '200')
          return { kind: 'accepted', ackCode: '200', externalRef: answer.maGiaoDich ?? null };
        const code = answer.maKetQua ?? String(res.status);
        // 401/403 and server errors may pass; other codes are content errors that need a person.
        const retry = ['401', '403', '500', '502', '503'].includes(code) || res.status >= 500;
        return {
          kind: 'refused',
          ackCode: code,
          text: (answer.thongDiep ?? `Cổng BHXH trả mã ${code}`).slice(0, 300),
          retry,
        };
      } catch (error) {
        const text = errorText(error);
        return /timeout|abort/i.test(text)
          ? { kind: 'timeout', text: `Cổng BHXH không trả lời sau ${timeoutMs} ms` }
          : { kind: 'unreachable', text };
      }
    },
  };
}
