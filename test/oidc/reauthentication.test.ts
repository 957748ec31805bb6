// OIDC Core 3.1.2.1 (#18): `prompt=login` and an elapsed `max_age` re-authenticate a user who
// holds a live DJAM session, and `auth_time` is the real sign-in, not the moment of the request.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { before, describe, test } from 'node:test';
import type { Browser } from '../helpers/cookie-jar.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

const CALLBACK = 'http://localhost:8100/cb';
let server: TestServer;
let app: { clientId: string; auth: string };
before(async (t) => {
  server = await startTestServer(t);
  const { client: row, clientSecret } = await server.make.client({ clientType: 'confidential', scope: 'openid email', requireConsent: false, redirectUris: [CALLBACK] });
  app = { clientId: row.clientId, auth: `Basic ${Buffer.from(`${row.clientId}:${clientSecret!}`).toString('base64')}` };
});

const now = () => Math.floor(Date.now() / 1000);

/** Follows redirects inside DJAM; stops at the callback or at the login form. */
async function follow(browser: Browser, url: string): Promise<URL> {
  let res = await browser.get(url);
  for (let hops = 0; hops < 8; hops++) {
    const location = res.headers.get('location');
    assert.ok(location && [302, 303].includes(res.status), `stopped at ${res.status}`);
    const next = new URL(location, server.url);
    if (next.href.startsWith(CALLBACK) || next.pathname === '/accounts/login/') return next;
    res = await browser.get(next.pathname + next.search);
  }
  assert.fail('too many redirects');
}

function authorizeUrl(extra: Record<string, string>): string {
  return `/openid/authorize?${new URLSearchParams({ client_id: app.clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', state: 's', nonce: 'n', ...extra })}`;
}

async function authTime(callback: URL): Promise<number> {
  const code = callback.searchParams.get('code');
  assert.ok(code, `no code: ${callback.search}`);
  assert.deepEqual([...callback.searchParams.keys()].sort(), ['code', 'iss', 'state'], 'a success carries no error member');
  const res = await fetch(`${server.url}/openid/token`, { method: 'POST', headers: { authorization: app.auth, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK }) });
  const body = await res.json() as { id_token: string };
  return (JSON.parse(Buffer.from(body.id_token.split('.')[1], 'base64url').toString()) as { auth_time: number }).auth_time;
}

async function signInAgain(browser: Browser, login: URL, user: { email: string; password: string }): Promise<URL> {
  const res = await browser.submitForm(login.pathname + login.search, { username: user.email, password: user.password });
  assert.equal(res.status, 302);
  return follow(browser, res.headers.get('location')!);
}

describe('#18 re-authentication', () => {
  for (const [name, extra] of [['prompt=login', { prompt: 'login' }], ['an elapsed max_age', { max_age: '1' }]] as const) {
    test(`#18 ${name} with a live session shows the login form, and auth_time is the new sign-in`, async () => {
      const user = await server.make.user();
      const browser = await server.signIn(user.email, user.password);
      await sleep(2100);
      const login = await follow(browser, authorizeUrl(extra));
      assert.equal(login.pathname, '/accounts/login/', `a code was issued without asking: ${login.href}`);
      const form = await (await browser.get(login.pathname + login.search)).text();
      assert.match(form, new RegExp(`name="username"[^>]*value="${user.email.replace(/[.+]/g, '\\$&')}"`), 'the e-mail is filled in');
      const signedInAgain = now();
      const callback = await signInAgain(browser, login, user);
      assert.ok(callback.href.startsWith(CALLBACK));
      assert.ok(await authTime(callback) >= signedInAgain);
    });
  }

  test('#18 a sign-in on another device does not make an old session fresh: max_age still asks again', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    await sleep(2100);
    await server.signIn(user.email, user.password); // the user's last_login moves forward
    const login = await follow(browser, authorizeUrl({ max_age: '1' }));
    assert.equal(login.pathname, '/accounts/login/', `the other device's sign-in counted for this session: ${login.href}`);
  });

  test('#18 a live session within max_age gets the code, with auth_time of its sign-in', async () => {
    const user = await server.make.user();
    const before = now();
    const browser = await server.signIn(user.email, user.password);
    await sleep(2100);
    await server.signIn(user.email, user.password); // another device: not this session's auth_time
    const callback = await follow(browser, authorizeUrl({ max_age: '600' }));
    assert.ok(callback.href.startsWith(CALLBACK), callback.href);
    const authTimeSeconds = await authTime(callback);
    assert.ok(authTimeSeconds >= before && authTimeSeconds <= before + 1, `auth_time ${authTimeSeconds}, signed in at ${before}`);
  });
});
