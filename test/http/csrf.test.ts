// Issue #17 item 12: the CSRF token belongs to one browser session and is renewed at sign-in, and
// an unsafe request from another site is refused whatever token it carries. Through the real
// server: the account form (a page POST) and the admin API (X-CSRFToken).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Browser } from '../helpers/cookie-jar.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

const tokenIn = (page: string) => /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page)?.[1];

/** Posts the profile form of `user` with `token` (as cookie and field, a double submit). */
function saveProfile(browser: Browser, user: { id: number; email: string }, token: string, firstName: string, headers: Record<string, string> = {}) {
  browser.cookies.set('XSRF-TOKEN;/', { name: 'XSRF-TOKEN', value: token, path: '/' });
  return browser.post(`/user/account/edit/${user.id}/`, { csrfmiddlewaretoken: token, first_name: firstName, last_name: 'Tester', email: user.email }, headers);
}

async function accountToken(browser: Browser): Promise<string> {
  const token = tokenIn(await (await browser.get('/user/account/')).text());
  assert.ok(token);
  return token;
}

async function firstNameShown(browser: Browser): Promise<string | undefined> {
  return /id="id_first_name"[^>]*value="([^"]*)"/.exec(await (await browser.get('/user/account/')).text())?.[1];
}

let server: TestServer;
before(async (t) => { server = await startTestServer(t); });

describe('#17 item 12: CSRF tokens', () => {
  test("#17 item 12: a token from user A's session fails in user B's session", async () => {
    const a = await server.make.user();
    const b = await server.make.user({ firstName: 'Bea' });
    const aToken = await accountToken(await server.signIn(a.email, a.password));
    const bBrowser = await server.signIn(b.email, b.password);
    const res = await saveProfile(bBrowser, b, aToken, 'Forged');
    assert.equal(res.status, 403);
    assert.equal(await firstNameShown(bBrowser), 'Bea', 'nothing changed');
    assert.equal((await saveProfile(bBrowser, b, await accountToken(bBrowser), 'Beatrice')).status, 200, "B's own token works");
    assert.equal(await firstNameShown(bBrowser), 'Beatrice');
  });

  test('#17 item 12: a token obtained before sign-in fails after it; sign-in hands out a new one', async () => {
    const user = await server.make.user({ firstName: 'Cy' });
    const browser = server.browser();
    const before = tokenIn(await (await browser.get('/accounts/login/')).text());
    assert.ok(before);
    const signIn = await browser.post('/accounts/login/', { csrfmiddlewaretoken: before, username: user.email, password: user.password });
    assert.equal(signIn.status, 302);
    const renewed = signIn.headers.getSetCookie().find((c) => c.startsWith('XSRF-TOKEN='));
    assert.ok(renewed, 'the sign-in answer sets a new XSRF-TOKEN');
    assert.notEqual(browser.cookie('XSRF-TOKEN'), before);
    assert.equal((await saveProfile(browser, user, before, 'Fixed')).status, 403);
    assert.equal(await firstNameShown(browser), 'Cy');
    // After sign-out the session's token goes the same way.
    const signedIn = await server.signIn(user.email, user.password);
    const sessionToken = await accountToken(signedIn);
    assert.equal((await signedIn.post('/accounts/logout/', { csrfmiddlewaretoken: sessionToken })).status, 302);
    const anonymous = await signedIn.post('/accounts/login/', { csrfmiddlewaretoken: sessionToken, username: user.email, password: user.password });
    assert.equal(anonymous.status, 403, 'the signed-out session token no longer signs in');
  });

  test('#17 item 12: a POST from another origin is refused 403 even with a valid token', async () => {
    const user = await server.make.user({ firstName: 'Di' });
    const browser = await server.signIn(user.email, user.password);
    const token = await accountToken(browser);
    const foreign: Array<Record<string, string>> = [
      { origin: 'https://evil.example' }, { origin: 'null' }, { origin: `${server.url}.evil.example` },
      { 'sec-fetch-site': 'cross-site' }, { origin: server.url, 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of foreign) {
      const res = await saveProfile(browser, user, token, 'Evil', headers);
      assert.equal(res.status, 403, JSON.stringify(headers));
    }
    assert.equal(await firstNameShown(browser), 'Di', 'nothing changed');
    // Our own pages: the same origin, or no Origin at all over http (a browser without it).
    assert.equal((await saveProfile(browser, user, token, 'Own', { origin: server.url, 'sec-fetch-site': 'same-origin' })).status, 200);
    assert.equal((await saveProfile(browser, user, token, 'Plain')).status, 200);
    assert.equal(await firstNameShown(browser), 'Plain');
  });

  test("#17 item 12: the admin API's X-CSRFToken flow works, bound to the session, from this origin only", async () => {
    const admin = await server.make.user({ isStaff: true, isSuperuser: true });
    const browser = await server.signIn(admin.email, admin.password);
    const session = await (await browser.fetch('/api/admin/session', { headers: { accept: 'application/json' } })).json() as { csrf_token: string };
    const create = (name: string, token: string, headers: Record<string, string> = {}) => browser.fetch('/api/admin/teams', {
      method: 'POST', body: JSON.stringify({ name }), headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrftoken': token, ...headers },
    });
    assert.equal((await create('Own team', session.csrf_token, { origin: server.url })).status, 201);
    const foreign = await create('Foreign team', session.csrf_token, { origin: 'https://evil.example' });
    assert.equal(foreign.status, 403);
    assert.equal((await foreign.json() as { error: string }).error, 'CSRF_FAILED');
    const staff = await server.make.user({ isStaff: true });
    const staffToken = await accountToken(await server.signIn(staff.email, staff.password));
    const borrowed = await fetch(`${server.url}/api/admin/teams`, {
      method: 'POST', body: JSON.stringify({ name: 'Borrowed' }),
      headers: { 'content-type': 'application/json', 'x-csrftoken': staffToken, cookie: `djam_sessionid=${browser.cookie('djam_sessionid')}; XSRF-TOKEN=${staffToken}` },
    });
    assert.equal(borrowed.status, 403, "another session's token");
  });
});

test('#17 item 12: over https, a POST without Origin needs a Referer of this site (as Django)', async (t) => {
  const server = await startTestServer(t, { DJAM_TRUST_PROXY: 'loopback' });
  const user = await server.make.user({ firstName: 'Ed' });
  const https = { 'x-forwarded-proto': 'https' };
  const browser = server.browser();
  const token = tokenIn(await (await browser.get('/accounts/login/', https)).text())!;
  const site = server.url.replace('http:', 'https:');
  const signIn = (headers: Record<string, string>) => browser.post('/accounts/login/', { csrfmiddlewaretoken: token, username: user.email, password: user.password }, { ...https, ...headers });
  assert.equal((await signIn({})).status, 403, 'neither Origin nor Referer');
  assert.equal((await signIn({ referer: 'https://evil.example/accounts/login/' })).status, 403, 'a foreign Referer');
  assert.equal((await signIn({ referer: `${server.url}/accounts/login/` })).status, 403, 'an http Referer on an https site');
  assert.equal((await signIn({ referer: `${site}/accounts/login/` })).status, 302, 'our own page');
});
