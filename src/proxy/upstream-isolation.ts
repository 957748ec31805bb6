// #17 item 7: proxied upstreams answer on DJAM's own origin, where the browser holds DJAM's
// session and the admin console lives. So an upstream may neither set nor receive DJAM's cookies
// nor clear the origin's data, its own cookies are kept to /service/<slug>, and its answers run
// sandboxed (an opaque origin: no same-origin reach into /admin/, the admin API or DJAM's
// cookies) unless the operator exempts the service.
import type { IncomingHttpHeaders } from 'node:http';
import type Provider from 'oidc-provider';
import { CSRF_COOKIE, SESSION_COOKIE } from '../http/cookies.ts';

/**
 * Scripts, forms, pop-ups (sandboxed in turn), dialogs and downloads work; `allow-same-origin` is
 * what the sandbox withholds. A service that needs it (XHR to itself, localStorage, its own
 * cookies from script) goes in DJAM_PROXY_SANDBOX_EXEMPT.
 */
const SANDBOX = 'sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads';

// Every cookie DJAM sets starts with `djam_` (the session, the password-reset link).
const OWN_PREFIX = 'djam_';

export interface Isolation {
  /**
   * Whether a cookie name is DJAM's (any case): every `djam_` one and the provider's. An upstream
   * may not set these, and is not sent them (#17 review).
   */
  isOwnCookie(name: string): boolean;
  sandboxExempt: ReadonlySet<string>;
}

/** Where an upstream's answer comes from: the resource URL and its slug. */
interface IsolatedRoute { upstream: URL; slug: string }

export function createIsolation(provider: Provider, sandboxExempt: readonly string[]): Isolation {
  const providerCookies = (['session', 'interaction', 'resume'] as const).map((type) => provider.cookieName(type));
  const names = [SESSION_COOKIE, CSRF_COOKIE, ...providerCookies, ...providerCookies.map((name) => `${name}.sig`)];
  const reserved = new Set(names.map((name) => name.toLowerCase()));
  return {
    isOwnCookie: (name) => {
      const key = name.trim().toLowerCase();
      return key.startsWith(OWN_PREFIX) || reserved.has(key);
    },
    sandboxExempt: new Set(sandboxExempt),
  };
}

/**
 * The Path for the client: an upstream path under the resource URL maps below /service/<slug>,
 * any other (or none) to /service/<slug> itself. Without a trailing slash, so that the cookie
 * reaches /service/<slug> too, and no other service (RFC 6265 §5.1.4 matches whole segments).
 */
function scopedPath(path: string | undefined, route: IsolatedRoute): string {
  const own = `/service/${route.slug}`;
  const base = route.upstream.pathname.replace(/\/$/, '');
  if (path === undefined || !(path === base || path.startsWith(`${base}/`))) return own;
  return `${own}${path.slice(base.length)}`.replace(/\/$/, '');
}

/** `name=value` (or a bare name) split at its first `=`, the name trimmed and lower-cased. */
function splitPair(pair: string): { key: string; value: string | undefined } {
  const eq = pair.indexOf('=');
  return eq < 0 ? { key: pair.trim().toLowerCase(), value: undefined } : { key: pair.slice(0, eq).trim().toLowerCase(), value: pair.slice(eq + 1).trim() };
}

/** One Set-Cookie line for the client, or undefined when it is dropped. */
function scopedCookie(line: string, route: IsolatedRoute, isolation: Isolation): string | undefined {
  const [pair, ...attributes] = line.split(';');
  const { key: name, value } = splitPair(pair);
  // A nameless cookie (`=djam_sessionid=x`, or no `=` at all) goes back to us as its value alone.
  if (value === undefined || !name || isolation.isOwnCookie(name)) return undefined;
  let path: string | undefined;
  const kept = [pair.trim()];
  for (const attribute of attributes) {
    const { key, value: attributeValue } = splitPair(attribute);
    // The last Path counts (RFC 6265 §5.3 step 7); Domain would reach beyond this host.
    if (key === 'path') path = attributeValue || undefined;
    else if (key !== 'domain' && key) kept.push(attribute.trim());
  }
  return [...kept, `Path=${scopedPath(path, route)}`].join('; ');
}

/** The upstream's Set-Cookie lines as the client may receive them. */
function scopedCookies(value: string | string[], route: IsolatedRoute, isolation: Isolation): string[] {
  const lines = typeof value === 'string' ? [value] : value;
  return lines.map((line) => scopedCookie(line, route, isolation)).filter((line) => line !== undefined);
}

/** Applies the isolation to the answer's headers, in place. */
export function isolateAnswer(headers: IncomingHttpHeaders, route: IsolatedRoute, isolation: Isolation): void {
  // #17 review: Clear-Site-Data acts on the whole origin, which is DJAM's: it would sign the user
  // out and could wipe the console's storage. Sandboxed or not, an upstream may not send it.
  delete headers['clear-site-data'];
  const cookies = headers['set-cookie'];
  if (cookies !== undefined) {
    const scoped = scopedCookies(cookies, route, isolation);
    if (scoped.length) headers['set-cookie'] = scoped;
    else delete headers['set-cookie'];
  }
  if (isolation.sandboxExempt.has(route.slug)) return;
  // The upstream's own policies are kept as further lines: browsers enforce every policy they get.
  const own = headers['content-security-policy'];
  headers['content-security-policy'] = own === undefined ? SANDBOX : [...[own].flat(), SANDBOX];
}
