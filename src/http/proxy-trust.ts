// Which peers may speak for the client in X-Forwarded-* (DJAM_TRUST_PROXY): nobody (the default),
// the listed proxies (addresses, CIDR ranges, or the names loopback, linklocal, uniquelocal), or
// every peer (`true`: only for a port that nothing but the proxy can reach).
import type { FastifyInstance } from 'fastify';
import { BlockList, isIP } from 'node:net';

/** false: nobody; true: every peer; else the test of a peer address. */
export type ProxyTrust = boolean | ((address: string) => boolean);

// The ranges proxy-addr (Express, Fastify) gives these names.
const NAMED: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

const familyOf = (address: string) => (isIP(address) === 4 ? 'ipv4' : 'ipv6');

function addEntry(list: BlockList, entry: string): void {
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address);
  const maxBits = family === 4 ? 32 : 128;
  const prefix = bits === undefined ? maxBits : Number(bits);
  if (!family || extra !== undefined || !/^\d*$/.test(bits ?? '') || !(prefix >= 0 && prefix <= maxBits)) {
    throw new Error(`"${entry}" is neither an IP address, a CIDR range nor loopback, linklocal or uniquelocal`);
  }
  list.addSubnet(address, prefix, familyOf(address));
}

/** Reads the setting; throws on an entry that is no address, range or known name. */
export function parseProxyTrust(value: string): ProxyTrust {
  const v = value.trim().toLowerCase();
  if (['', 'false', '0', 'no', 'off'].includes(v)) return false;
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  const list = new BlockList();
  for (const entry of v.split(',').map((e) => e.trim()).filter(Boolean)) {
    for (const range of NAMED[entry] ?? [entry]) addEntry(list, range);
  }
  // BlockList also matches IPv4-mapped IPv6 peers (::ffff:10.0.0.1) against IPv4 ranges.
  return (address) => isIP(address) !== 0 && list.check(address, familyOf(address));
}

/**
 * With a list of proxies, the forwarded protocol and host (and the secure-proxy header) of any
 * other peer are dropped before anything reads them. Fastify would ignore them anyway, but the
 * provider (Koa: one proxy switch for all peers) and the GeoServer secure-HTTP rule would not.
 * X-Forwarded-For stays: Fastify resolves the client IP through the trusted hops only, and the
 * reverse proxy sends upstream that client alone (proxy/forwarding.ts).
 */
export function registerForwardedHeaderGuard(app: FastifyInstance, trust: ProxyTrust, secureProxyHeader: string | undefined): void {
  if (typeof trust !== 'function') return;
  const names = ['x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'forwarded', ...(secureProxyHeader ? [secureProxyHeader.toLowerCase()] : [])];
  app.addHook('onRequest', (request, _reply, done) => {
    const peer = request.raw.socket.remoteAddress;
    if (!peer || !trust(peer)) for (const name of names) delete request.raw.headers[name];
    done();
  });
}
