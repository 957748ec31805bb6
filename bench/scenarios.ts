// The scenarios of `npm run bench`, one request shape each, with the budgets of issue #7. The
// same list drives the load (autocannon) and the statement count of one request (statements.ts).
import { Browser } from '../test/helpers/cookie-jar.ts';
import { authorizePath, clientAuth, codeOf, form, mintCodes, postToken, redeemCode, redeemCodes, signIn, type OAuthClient } from './flows.ts';
import { BENCH_API, REDIRECT_URI, type Seed } from './seed.ts';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';

/** A rate budget: a ratio to the baseline (or to the row named `of`), or requests per second per CPU core used. */
export interface Budget { min: number; unit: 'ratio' | 'per core'; of?: string }

/** Requests that can each be sent once: authorization codes, or refresh tokens that rotate. */
interface Feed {
  /** Consumed: every request uses up one item, so a run is as long as the pool. Rotating: each answer hands back a new item. */
  kind: 'consumed' | 'rotating';
  available(): number;
  fill(count: number): Promise<void>;
  nextBody(): string;
  /** Headers of the next request (a DPoP proof, made fresh for each). */
  nextHeaders?(): Record<string, string>;
  onResponse?(status: number, body: string): void;
}

export interface Scenario {
  name: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** The status every request should get. */
  expect: number;
  budget?: Budget;
  sqlBudget?: number;
  feed?: Feed;
  /** Why the scenario cannot run against this server. */
  skip?: string;
  /** Not served by DJAM (the proxy's upstream): no statements to count. */
  external?: boolean;
  /**
   * A flow of several requests instead of one (#23's sign-in through an upstream): run.ts calls it
   * in a loop with ROUND_CONCURRENCY rounds at once and reports rounds per second and each round's latency.
   */
  round?: () => Promise<void>;
}

/** Rounds in flight at once for a `round` scenario. */
export const ROUND_CONCURRENCY = 10;

/**
 * #23: one whole sign-in through an upstream, as a browser that is signed in at the upstream does
 * it: DJAM's /accounts/idp/<slug>/login/ → the upstream's /openid/authorize (its session: no
 * form) → DJAM's callback (code exchange, id-token check, userinfo by openid-client) → a new DJAM
 * session. The upstream is the bench's server itself, so the round's cost is both sides' work.
 */
function upstreamRound(base: string, seed: Seed): () => Promise<void> {
  let template: Promise<Browser> | undefined;
  const callback = `/accounts/idp/${seed.idpSlug}/callback/`;
  return async () => {
    template ??= signIn(base, seed.user);
    const browser = new Browser(base);
    for (const [key, cookie] of (await template).cookies) browser.cookies.set(key, { ...cookie });
    let path = `/accounts/idp/${seed.idpSlug}/login/`;
    for (let hop = 0; hop < 10; hop++) {
      const res = await browser.get(path);
      await res.arrayBuffer();
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) throw new Error(`the upstream sign-in stopped at ${path} with ${res.status}`);
      if (path.startsWith(callback)) {
        if (!location.startsWith('/user/account/edit/')) throw new Error(`the callback sent the browser to ${location}`);
        return;
      }
      const url = new URL(location, base);
      path = `${url.pathname}${url.search}`;
    }
    throw new Error('the upstream sign-in did not reach the callback');
  };
}

const b64 = (s: string) => encodeURIComponent(Buffer.from(s).toString('base64'));

function codeFeed(base: string, browser: Browser, client: OAuthClient): Feed {
  const codes: string[] = [];
  return {
    kind: 'consumed', available: () => codes.length,
    fill: async (count) => { codes.push(...await mintCodes(base, browser, client.id, count)); },
    nextBody: () => `grant_type=authorization_code&code=${codes.shift() ?? 'exhausted'}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`,
  };
}

/** Refresh tokens rotate (src/oidc/provider.ts), so each answer's new token goes back to the pool. */
function refreshFeed(base: string, browser: Browser, client: OAuthClient): Feed {
  const tokens: string[] = [];
  return {
    kind: 'rotating', available: () => tokens.length,
    fill: async (count) => {
      const minted = await redeemCodes(base, client, await mintCodes(base, browser, client.id, count));
      tokens.push(...minted.map((t) => t.refresh_token!));
    },
    nextBody: () => `grant_type=refresh_token&refresh_token=${tokens.shift() ?? 'exhausted'}`,
    onResponse: (status, body) => { if (status === 200) tokens.push((JSON.parse(body) as { refresh_token: string }).refresh_token); },
  };
}

/** #24: a DPoP proof (RFC 9449) per request, signed synchronously: the token endpoint refuses a replayed one. */
function dpopFeed(tokenUrl: string): Feed {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const header = Buffer.from(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk: publicKey.export({ format: 'jwk' }) })).toString('base64url');
  const proof = () => {
    const payload = Buffer.from(JSON.stringify({ htm: 'POST', htu: tokenUrl, iat: Math.floor(Date.now() / 1000), jti: randomUUID() })).toString('base64url');
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    return `${header}.${payload}.${signature}`;
  };
  return {
    kind: 'rotating', available: () => Number.MAX_SAFE_INTEGER, fill: async () => {},
    nextBody: () => 'grant_type=client_credentials', nextHeaders: () => ({ dpop: proof() }),
  };
}

/** #24: pending device codes, one per poll (RFC 8628 §3.4): each poll is the first of its code (no slow_down short-cut). */
function deviceFeed(base: string, client: OAuthClient): Feed {
  const codes: string[] = [];
  const ask = async () => {
    const res = await fetch(`${base}/openid/device/auth`, { method: 'POST', headers: { ...form, authorization: clientAuth(client) }, body: 'scope=openid' });
    codes.push(((await res.json()) as { device_code: string }).device_code);
  };
  return {
    kind: 'consumed', available: () => codes.length,
    fill: async (count) => {
      for (let done = 0; done < count; done += 32) await Promise.all(Array.from({ length: Math.min(32, count - done) }, ask));
    },
    nextBody: () => `grant_type=${encodeURIComponent('urn:ietf:params:oauth:grant-type:device_code')}&device_code=${codes.shift() ?? 'exhausted'}`,
  };
}

async function loginForm(base: string, user: { email: string; password: string }): Promise<{ cookie: string; body: string }> {
  const browser = new Browser(base);
  const page = await (await browser.get('/accounts/login/')).text();
  const csrf = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page)?.[1];
  if (!csrf) throw new Error('no CSRF token on the login page');
  const body = new URLSearchParams({ csrfmiddlewaretoken: csrf, username: user.email, password: user.password });
  return { cookie: `XSRF-TOKEN=${browser.cookie('XSRF-TOKEN')}`, body: body.toString() };
}

export async function buildScenarios(base: string, seed: Seed, upstreamUrl: string): Promise<Scenario[]> {
  const cc = { ...form, authorization: clientAuth(seed.ccClient) };
  const ccToken = await (await postToken(base, seed.ccClient, 'grant_type=client_credentials')).json() as { access_token: string };
  const browser = await signIn(base, seed.user);
  const userTokens = await redeemCode(base, seed.codeClient, codeOf((await browser.get(authorizePath(seed.codeClient.id))).headers.get('location')));
  const login = await loginForm(base, seed.user);
  const ldapLogin = seed.ldapUser && await loginForm(base, { email: seed.ldapUser.login, password: seed.ldapUser.password });
  const token = `${base}/openid/token`;
  return [
    { name: 'baseline GET /healthz', url: `${base}/healthz`, expect: 200 },
    { name: 'client_credentials (opaque)', url: token, method: 'POST', headers: cc, body: 'grant_type=client_credentials', expect: 200, budget: { min: 0.12, unit: 'ratio' }, sqlBudget: 2 },
    // An RS256 JWT for the API of DJAM_OIDC_RESOURCE_SERVERS (set by run.ts): signed, not stored.
    { name: 'client_credentials (JWT)', url: token, method: 'POST', headers: cc, body: `grant_type=client_credentials&resource=${encodeURIComponent(BENCH_API)}`, expect: 200, budget: { min: 0.12, unit: 'ratio' }, sqlBudget: 0 },
    { name: 'authorization-code exchange', url: token, method: 'POST', headers: { ...form, authorization: clientAuth(seed.codeClient) }, expect: 200, budget: { min: 0.06, unit: 'ratio' }, feed: codeFeed(base, browser, seed.codeClient) },
    { name: 'refresh (rotating)', url: token, method: 'POST', headers: { ...form, authorization: clientAuth(seed.codeClient) }, expect: 200, budget: { min: 0.06, unit: 'ratio' }, feed: refreshFeed(base, browser, seed.codeClient) },
    // #24: a DPoP-bound token (a fresh ES256 proof checked per request), beside the plain one above.
    { name: 'client_credentials (DPoP-bound)', url: token, method: 'POST', headers: { ...form, authorization: clientAuth(seed.dpopClient) }, expect: 200, budget: { min: 0.3, unit: 'ratio', of: 'client_credentials (opaque)' }, feed: dpopFeed(token) },
    { name: 'device-code poll (pending)', url: token, method: 'POST', headers: { ...form, authorization: clientAuth(seed.deviceClient) }, expect: 400, feed: deviceFeed(base, seed.deviceClient) },
    { name: 'introspection', url: `${base}/openid/introspect`, method: 'POST', headers: cc, body: `token=${ccToken.access_token}`, expect: 200, budget: { min: 0.12, unit: 'ratio' }, sqlBudget: 1 },
    { name: 'userinfo', url: `${base}/openid/userinfo`, headers: { authorization: `Bearer ${userTokens.access_token}` }, expect: 200, budget: { min: 0.12, unit: 'ratio' } },
    { name: 'discovery', url: `${base}/openid/.well-known/openid-configuration`, expect: 200 },
    { name: 'jwks', url: `${base}/openid/jwks`, expect: 200 },
    { name: 'GeoServer authkey introspection', url: `${base}/openid/authkey/introspect/?authkey=${seed.authkey}`, expect: 200, budget: { min: 0.5, unit: 'ratio' }, sqlBudget: 1 },
    { name: 'credentials introspection (Argon2id)', url: `${base}/openid/credentials/introspect/?u=${b64(seed.user.email)}&p=${b64(seed.user.password)}`, expect: 200 },
    { name: 'key-management status', url: `${base}/openid/api/token/status/`, method: 'POST', headers: { authorization: `Token ${seed.managementKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ resource_key: seed.authkey }), expect: 200 },
    { name: 'login POST (Argon2id)', url: `${base}/accounts/login/`, method: 'POST', headers: { ...form, cookie: login.cookie }, body: login.body, expect: 302, budget: { min: 30, unit: 'per core' } },
    { name: 'direct upstream', url: upstreamUrl, expect: 200, external: true },
    { name: 'proxied (authkey)', url: `${base}/service/bench?authkey=${seed.authkey}`, expect: 200, budget: { min: 0.6, unit: 'ratio', of: 'direct upstream' } },
    // The same proxy path authenticated by Basic: an Argon2id verification per request dominates it.
    { name: 'proxied (Basic)', url: `${base}/service/bench`, headers: { authorization: `Basic ${Buffer.from(`${seed.user.email}:${seed.user.password}`).toString('base64')}` }, expect: 200 },
    // #23: sign-in latency through an upstream OpenID provider (a whole round) and through LDAP (the login form: search, bind as the user, groups).
    { name: `upstream OIDC sign-in round (rounds/s, ${ROUND_CONCURRENCY} at once)`, url: `${base}/accounts/idp/${seed.idpSlug}/login/`, expect: 302, round: upstreamRound(base, seed) },
    ldapLogin
      ? { name: 'login POST (LDAP directory user)', url: `${base}/accounts/login/`, method: 'POST', headers: { ...form, cookie: ldapLogin.cookie }, body: ldapLogin.body, expect: 302 }
      : { name: 'login POST (LDAP directory user)', url: `${base}/accounts/login/`, expect: 302, skip: process.env.DJAM_BENCH_LDAP_SKIP ?? 'slapd not installed' },
  ];
}

/** One request of the scenario (the next item of its feed, if any); the answer is read and handed to the feed. */
export async function sendOnce(s: Scenario): Promise<{ status: number; body: string }> {
  const res = await fetch(s.url, { method: s.method ?? 'GET', headers: { ...s.headers, ...s.feed?.nextHeaders?.() }, body: s.feed ? s.feed.nextBody() : s.body, redirect: 'manual' });
  const body = await res.text();
  s.feed?.onResponse?.(res.status, body);
  return { status: res.status, body };
}
