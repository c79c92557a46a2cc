import net from 'node:net';

/**
 * The address a request came from, for audit rows and sign-in throttling.
 *
 * Next.js does not give route handlers the socket's address, and fills `X-Forwarded-For` with it only when the client
 * sent none, so a client could name any address. The web server (lib/cli/web-server.ts) therefore writes the
 * socket's peer address into PEER_HEADER on every request, over whatever a client sent. `X-Forwarded-For` is read
 * only when that peer is one of TRUSTED_PROXIES (IPs or CIDRs, comma- or space-separated: the hospital's reverse
 * proxy), walking it from the right past trusted hops. Without the web server (`next dev`) the address is unknown.
 * The result is always a valid IP (≤ 45 characters, IPv4-mapped IPv6 as IPv4) or null: a long or garbage header can
 * never break the audit insert.
 */
export const PEER_HEADER = 'x-tiepdon-peer';

/** A valid IP address in canonical text form, or null. Accepts `[v6]`, `v4:port` and `::ffff:v4`. */
export function normalizeIp(value: string | null | undefined): string | null {
  if (!value || value.length > 64) return null;
  let v = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(':'));
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(v)) v = v.slice(7);
  if (net.isIPv4(v)) return v;
  if (net.isIPv6(v)) return v.toLowerCase();
  return null;
}

/** TRUSTED_PROXIES as a block list; entries that are not an IP or CIDR are reported, never silently widened. */
export function trustedProxies(value = process.env.TRUSTED_PROXIES ?? ''): net.BlockList {
  const list = new net.BlockList();
  for (const entry of value.split(/[\s,]+/).filter(Boolean)) {
    const [address, bits] = entry.split('/');
    const ip = normalizeIp(address);
    const type = ip && net.isIPv6(ip) ? 'ipv6' : 'ipv4';
    const prefix = bits === undefined ? null : Number(bits);
    if (
      !ip ||
      (prefix !== null && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= (type === 'ipv6' ? 128 : 32)))
    ) {
      throw new Error(`TRUSTED_PROXIES: "${entry}" không phải địa chỉ IP hoặc CIDR / is not an IP address or CIDR`);
    }
    if (prefix === null) list.addAddress(ip, type);
    else list.addSubnet(ip, prefix, type);
  }
  return list;
}

let cached: { value: string; list: net.BlockList } | null = null;
function currentProxies(): net.BlockList {
  const value = process.env.TRUSTED_PROXIES ?? '';
  if (cached?.value !== value) cached = { value, list: trustedProxies(value) };
  return cached.list;
}

const isTrusted = (list: net.BlockList, ip: string) => list.check(ip, net.isIPv6(ip) ? 'ipv6' : 'ipv4');

type HeaderSource = Headers | Record<string, string | string[] | undefined>;
function header(headers: HeaderSource, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : (v ?? null);
}

/** The client's address for this request (see above), or null when it cannot be known. */
export function clientIp(headers: HeaderSource, proxies: net.BlockList = currentProxies()): string | null {
  const peer = normalizeIp(header(headers, PEER_HEADER));
  if (!peer || !isTrusted(proxies, peer)) return peer;
  // Sent through a trusted proxy: the nearest hop that is not itself a trusted proxy is the client.
  const hops = (header(headers, 'x-forwarded-for') ?? '').slice(0, 2048).split(',');
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeIp(hops[i]);
    if (!hop) break; // garbage from before the first trusted hop: stop at what the proxies vouch for
    client = hop;
    if (!isTrusted(proxies, hop)) break;
  }
  return client;
}
