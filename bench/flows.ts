// The OAuth legwork before a scenario runs, over HTTP as a client would do it: sign in with a
// cookie jar, collect authorization codes, redeem them for tokens.
import autocannon from 'autocannon';
import { Browser, basicAuth } from '../test/helpers/cookie-jar.ts';
import { REDIRECT_URI } from './seed.ts';

export const form = { 'content-type': 'application/x-www-form-urlencoded' };
export interface OAuthClient { id: string; secret: string }
interface Tokens { access_token: string; refresh_token?: string }

const AUTHORIZE_SCOPE = 'openid email';

export function authorizePath(clientId: string): string {
  const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT_URI, scope: AUTHORIZE_SCOPE, state: 's' });
  return `/openid/authorize?${query}`;
}

export function codeOf(location: string | null | undefined): string {
  const code = location ? new URL(location, 'http://x').searchParams.get('code') : null;
  if (!code) throw new Error(`no code in the redirect to ${location}`);
  return code;
}

export const clientAuth = (client: OAuthClient) => basicAuth(client.id, client.secret);

export async function signIn(base: string, user: { email: string; password: string }): Promise<Browser> {
  const browser = new Browser(base);
  const res = await browser.submitForm('/accounts/login/', { username: user.email, password: user.password });
  if (res.status !== 302) throw new Error(`the bench user could not sign in (${res.status})`);
  return browser;
}

/** The cookies a browser sends to `path`, as one header (for autocannon). */
function cookieHeader(browser: Browser, path: string): string {
  return [...browser.cookies.values()].filter((c) => path.startsWith(c.path)).map((c) => `${c.name}=${c.value}`).join('; ');
}

export async function postToken(base: string, client: OAuthClient, body: string): Promise<Response> {
  return fetch(`${base}/openid/token`, { method: 'POST', headers: { ...form, authorization: clientAuth(client) }, body });
}

export async function redeemCode(base: string, client: OAuthClient, code: string): Promise<Tokens> {
  const res = await postToken(base, client, `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`);
  if (res.status !== 200) throw new Error(`the code exchange answered ${res.status}: ${await res.text()}`);
  return res.json() as Promise<Tokens>;
}

/** autocannon passes the headers as the server spelled them (the provider writes `Location`). */
function locationOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const name = Object.keys(headers).find((k) => k.toLowerCase() === 'location');
  return name === undefined ? undefined : String(headers[name]);
}

/**
 * `count` fresh codes of a consent-free client for a signed-in browser. Many are needed (one per
 * request of the code-exchange scenario), so autocannon drives the authorize endpoint and each
 * redirect yields one.
 */
export async function mintCodes(base: string, browser: Browser, clientId: string, count: number): Promise<string[]> {
  const path = authorizePath(clientId);
  const first = await browser.get(path); // also sets the provider's own session cookies
  const codes = [codeOf(first.headers.get('location'))];
  if (count <= 1) return codes;
  await autocannon({
    url: `${base}${path}`, amount: count - 1, connections: Math.min(20, count - 1),
    headers: { cookie: cookieHeader(browser, path), accept: 'text/html' },
    requests: [{ onResponse: (_status, _body, _context, headers = {}) => { codes.push(codeOf(locationOf(headers))); } }],
  });
  return codes;
}

/** Redeems codes with `concurrency` requests in flight. */
export async function redeemCodes(base: string, client: OAuthClient, codes: string[], concurrency = 10): Promise<Tokens[]> {
  const out: Tokens[] = [];
  const queue = [...codes];
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let code = queue.shift(); code; code = queue.shift()) out.push(await redeemCode(base, client, code));
  }));
  return out;
}
