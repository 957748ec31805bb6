// SSRF: a webhook URL is an administrator's request that this server POST somewhere. Unless
// DJAM_WEBHOOK_ALLOW_PRIVATE is set, it must be http(s) and reach only public addresses: no
// loopback, private, link-local (cloud metadata at 169.254.169.254), CGNAT, multicast or reserved
// range. The check runs when the URL is saved (a clear 400) and again on every connection a
// delivery makes (guardedLookup), so a name that later resolves inward (DNS rebinding) is refused.
import { lookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { promisify } from 'node:util';
import { AppError } from '../errors.ts';

const internal = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  internal.addSubnet(net, prefix, 'ipv4');
}
// IPv6: the IPv4-compatible (::/96) and IPv4-translated (::ffff:0:0:0/96) forms, NAT64 (well-known
// and local-use), 6to4 (2002::/16, which wraps any IPv4 address), ULA, site- and link-local, multicast.
for (const [net, prefix] of [
  ['::', 96], ['::ffff:0:0:0', 96], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001:db8::', 32], ['2002::', 16],
  ['fc00::', 7], ['fec0::', 10], ['fe80::', 10], ['ff00::', 8],
] as const) {
  internal.addSubnet(net, prefix, 'ipv6');
}

/** The IPv4 address an IPv4-mapped IPv6 one maps (::ffff:10.0.0.1, or ::ffff:a00:1 as URL parsing writes it). */
function mappedIpv4(address: string): string | undefined {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return undefined;
  const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** Judged as the IPv4 address it maps, if it maps one (a ::ffff:0:0/96 rule would match every IPv4 address in a BlockList). */
function isInternal(address: string): boolean {
  const ipv4 = mappedIpv4(address);
  if (ipv4) return internal.check(ipv4, 'ipv4');
  return internal.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

const refused = (url: string, reason: string) => new AppError('WEBHOOK_URL_REFUSED', { details: { url, reason } });
const lookupAll = promisify(lookup);

/** The URL as it will be called, or WEBHOOK_URL_REFUSED with the reason. */
export async function checkWebhookUrl(text: string, allowPrivate: boolean): Promise<string> {
  let url: URL;
  try { url = new URL(text); } catch { throw refused(text, 'not an absolute URL'); }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refused(text, 'only http and https');
  if (url.username || url.password) throw refused(text, 'no credentials in the URL (the signature authenticates the sender)');
  if (allowPrivate) return url.href;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: LookupAddress[];
  try { addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookupAll(host, { all: true }); } catch { throw refused(text, 'the host name does not resolve'); }
  if (!addresses.length || addresses.some((a) => isInternal(a.address))) throw refused(text, 'the host is (or resolves to) an internal address');
  return url.href;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup for the delivery's connections: an internal address fails the connection. */
export function guardedLookup(hostname: string, options: object, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const bad = addresses.find((a) => isInternal(a.address));
    if (bad) return callback(Object.assign(new Error(`webhook host ${hostname} resolves to the internal address ${bad.address}`), { code: 'EWEBHOOKINTERNAL' }), []);
    const wantsAll = (options as { all?: boolean }).all;
    if (wantsAll) return callback(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
}
