// Issue #17 item 16: the prod profile serves pages over https only. Behind a trusted TLS proxy its
// word (X-Forwarded-Proto, or DJAM_SECURE_PROXY_HEADER) counts; otherwise plain http is sent to
// the https site (GET, HEAD) or refused (anything else), and the session and CSRF cookies are Secure.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import type { Browser } from '../helpers/cookie-jar.ts';
import { startTestServer } from '../helpers/start-server.ts';

const SITE = 'https://idp.example.org';
// prod needs an https SITEURL; the test reaches the server as 127.0.0.1, so every host is allowed.
const PROD = { DJAM_PROJECT_ENVIRONMENT: 'prod', SITEURL: `${SITE}/`, DJAM_ALLOWED_HOSTS: '*' };
const FROM_PROXY = { 'x-forwarded-proto': 'https', origin: SITE };

const isSecure = (setCookie: string | undefined) => /;\s*Secure/i.test(setCookie ?? '');
const cookieLine = (res: Response, name: string) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));

/** The login form's token, fetched as the proxy would ask for it. */
async function loginToken(browser: Browser, headers: Record<string, string>): Promise<string> {
  const page = await browser.get('/accounts/login/', headers);
  assert.equal(page.status, 200);
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(await page.text())?.[1];
  assert.ok(token);
  return token;
}

/** The Location answered to a hand-written request line (fetch always sends origin-form). */
function rawLocation(url: string, requestLine: string): Promise<string | undefined> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(`${requestLine}\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`));
    let answer = '';
    socket.on('data', (chunk) => { answer += chunk.toString('latin1'); });
    socket.on('end', () => resolve(/^location: (.*)$/im.exec(answer)?.[1]?.trim()));
    socket.on('error', reject);
  });
}

test('#17 item 16: prod over plain http refuses a sign-in, sends pages to https, answers probes', async (t) => {
  const server = await startTestServer(t, { ...PROD, DJAM_TRUST_PROXY: 'loopback' });
  const user = await server.make.user();
  const browser = server.browser();
  const token = await loginToken(browser, FROM_PROXY);
  const plain = await browser.post('/accounts/login/', { csrfmiddlewaretoken: token, username: user.email, password: user.password }, { origin: SITE });
  assert.equal(plain.status, 403);
  assert.match(await plain.text(), /https only/);
  assert.equal(cookieLine(plain, 'djam_sessionid'), undefined, 'no session over plain http');
  for (const method of ['GET', 'HEAD']) {
    const page = await fetch(`${server.url}/accounts/login/?next=/o/applications/`, { method, redirect: 'manual' });
    assert.equal(page.status, 301, method);
    assert.equal(page.headers.get('location'), `${SITE}/accounts/login/?next=/o/applications/`, method);
  }
  const odd = await fetch(`${server.url}/user/account/?q=%E2%82%AC`, { redirect: 'manual' });
  assert.equal(odd.headers.get('location'), `${SITE}/user/account/?q=%E2%82%AC`);
  assert.equal(await rawLocation(server.url, 'GET http://evil.example/x HTTP/1.1'), `${SITE}/`, 'an absolute-form target goes to the root');
  const token2 = await fetch(`${server.url}/openid/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials' }) });
  assert.equal(token2.status, 403, 'the protocol endpoints too');
  for (const probe of ['/healthz', '/readyz']) assert.equal((await fetch(`${server.url}${probe}`)).status, 200, probe);
});

test('#17 item 16: prod believes X-Forwarded-Proto only from a trusted proxy', async (t) => {
  const server = await startTestServer(t, PROD);
  const user = await server.make.user();
  const res = await server.browser().post('/accounts/login/', { username: user.email, password: user.password }, FROM_PROXY);
  assert.equal(res.status, 403);
  assert.match(await res.text(), /https only/);
  assert.equal(cookieLine(res, 'djam_sessionid'), undefined);
  assert.equal((await fetch(`${server.url}/accounts/login/`, { headers: FROM_PROXY, redirect: 'manual' })).status, 301);
});

test('#17 item 16: prod behind a trusted TLS proxy signs in with Secure session and CSRF cookies', async (t) => {
  // Either way the proxy says it: X-Forwarded-Proto, or the header named by DJAM_SECURE_PROXY_HEADER.
  for (const [env, https] of [
    [{ DJAM_TRUST_PROXY: 'loopback', DJAM_SECURE_PROXY_HEADER: 'X-Forwarded-Scheme' }, { 'x-forwarded-scheme': 'https' }],
    [{ DJAM_TRUST_PROXY: 'loopback' }, { 'x-forwarded-proto': 'https' }],
  ] as const) {
    const server = await startTestServer(t, { ...PROD, ...env });
    const user = await server.make.user();
    const browser = server.browser();
    const page = await browser.get('/accounts/login/', https);
    assert.equal(page.status, 200, JSON.stringify(env));
    assert.ok(isSecure(cookieLine(page, 'XSRF-TOKEN')), `XSRF-TOKEN Secure ${JSON.stringify(env)}`);
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(await page.text())![1];
    const res = await browser.post('/accounts/login/', { csrfmiddlewaretoken: token, username: user.email, password: user.password }, { ...https, origin: SITE });
    assert.equal(res.status, 302, JSON.stringify(env));
    assert.ok(isSecure(cookieLine(res, 'djam_sessionid')), `djam_sessionid Secure ${JSON.stringify(env)}`);
    assert.ok(isSecure(cookieLine(res, 'XSRF-TOKEN')), `the renewed XSRF-TOKEN Secure ${JSON.stringify(env)}`);
    assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains');
  }
});
