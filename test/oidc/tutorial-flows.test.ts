// The tutorial (seeds/001): register an application at /o/applications/register/, run the
// authorization-code flow through /o/authorize/ and /o/token/ with the credentials in the form
// body, the client-credentials flow with HTTP Basic, and call /resource with the token.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { basicAuth, type Browser } from '../helpers/cookie-jar.ts';
import { startTestServer } from '../helpers/start-server.ts';

const CALLBACK = 'http://127.0.0.1:8000/noexist/callback';

async function registerApplication(browser: Browser, fields: Record<string, string>) {
  const res = await browser.submitForm('/o/applications/register/', { name: 'tutorial', client_type: 'confidential', ...fields });
  assert.equal(res.status, 303, '#18 POST/redirect/GET');
  const location = res.headers.get('location')!;
  assert.match(location, /^\/o\/applications\/\d+\/$/, 'no secret in the URL');
  const page = await (await browser.get(location)).text();
  const id = /id="client-id">([^<]+)</.exec(page)?.[1];
  const secret = /id="client-secret" class="secret" readonly value="([^"]+)"/.exec(page)?.[1];
  assert.ok(id && secret, 'the page shows the client id and the secret once');
  assert.match(page, /<button type="button" class="secondary" data-copy="client-secret">Copy<\/button>/);
  assert.doesNotMatch(await (await browser.get(location)).text(), /id="client-secret"/, 'a reload does not show the secret again');
  return { id, secret };
}

test('the tutorial: authorization code with form credentials, client credentials with Basic, then /resource', async (t) => {
  const server = await startTestServer(t);
  const me = await server.make.user({ email: 'me@wiliam.dev', isSuperuser: true, isStaff: true });
  const browser = await server.signIn(me.email, me.password);

  const web = await registerApplication(browser, { authorization_grant_type: 'authorization-code', redirect_uris: CALLBACK });
  const authorize = await browser.get(`/o/authorize/?response_type=code&client_id=${web.id}&redirect_uri=${CALLBACK}`);
  assert.equal(authorize.status, 303);
  const consent = await browser.follow(authorize);
  assert.equal(consent.res.status, 200);
  const consentPage = await consent.res.text();
  assert.match(consentPage, /tutorial<\/strong> asks to access your DJAM account/);
  const uid = /action="\/interaction\/([^/]+)\/confirm"/.exec(consentPage)![1];
  const allowed = await browser.submitForm(`/interaction/${uid}`, {}, `/interaction/${uid}/confirm`);
  const { url } = await browser.follow(allowed);
  assert.ok(url.startsWith(`${CALLBACK}?code=`), url);
  const code = new URL(url).searchParams.get('code')!;

  const tokenRes = await fetch(`${server.url}/o/token/`, {
    method: 'POST',
    headers: { 'Cache-Control': 'no-cache', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: web.id, client_secret: web.secret, code, redirect_uri: CALLBACK, grant_type: 'authorization_code' }),
  });
  assert.equal(tokenRes.status, 200);
  const tokens = await tokenRes.json() as Record<string, unknown>;
  assert.equal(typeof tokens.access_token, 'string');
  assert.equal(tokens.expires_in, 3600);
  assert.equal(String(tokens.token_type).toLowerCase(), 'bearer');
  assert.equal(tokens.scope, 'read write');
  assert.equal(typeof tokens.refresh_token, 'string');

  const resource = await fetch('http://localhost:' + new URL(server.url).port + '/resource', { headers: { Authorization: `Bearer ${tokens.access_token}` } });
  assert.equal(resource.status, 200);
  const who = await resource.json() as { user: { email: string } };
  assert.equal(who.user.email, 'me@wiliam.dev');

  const machine = await registerApplication(browser, { authorization_grant_type: 'client-credentials' });
  const cc = await fetch(`${server.url}/o/token/`, {
    method: 'POST',
    headers: { Authorization: basicAuth(machine.id, machine.secret), 'Cache-Control': 'no-cache', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  assert.equal(cc.status, 200);
  const ccBody = await cc.json() as Record<string, unknown>;
  assert.deepEqual(Object.keys(ccBody).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
  assert.equal(ccBody.scope, 'read write');
  const asClient = await fetch(`${server.url}/resource`, { headers: { Authorization: `Bearer ${ccBody.access_token}` } });
  assert.equal(asClient.status, 200);
  assert.equal((await asClient.json() as { client_id: string }).client_id, machine.id);
});

test('/resource without a valid token answers 401 with a Bearer challenge', async (t) => {
  const server = await startTestServer(t);
  const none = await fetch(`${server.url}/resource`);
  assert.equal(none.status, 401);
  assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
  const bad = await fetch(`${server.url}/resource`, { headers: { Authorization: 'Bearer not-a-token' } });
  assert.equal(bad.status, 401);
  assert.match(bad.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
});
