// #24 RFC 8628: a device (openid-client) asks for a code, a person enters it at /openid/device
// (no JavaScript: a cookie-jar browser), confirms the application, and the device's poll gets
// tokens. Refusals: a wrong code (and the throttle after many), a device code used twice,
// polling too fast (slow_down), an expired device code, a client not registered for the grant.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { eq, sql } from 'drizzle-orm';
import type { Browser } from '../helpers/cookie-jar.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';
import { oidcPayloads } from '../../src/db/schema.ts';
import { chromium } from 'playwright-core';

const insecure = { execute: [client.allowInsecureRequests] };
let server: TestServer;
let alice: Awaited<ReturnType<TestServer['make']['user']>>;

before(async (t) => {
  // Three wrong codes from one address are allowed a minute here (the throttle's test).
  server = await startTestServer(t, { DJAM_KEY_CHECK_RATE_LIMIT: '3' });
  alice = await server.make.user({ email: 'alice@example.com', firstName: 'Alice', lastName: 'Liddell' });
});

async function deviceRp(input: { clientType?: 'public' | 'confidential'; grantType?: 'device_code' | 'client_credentials' } = {}) {
  const { client: row, clientSecret } = await server.make.client({
    name: 'QGIS plugin', clientType: input.clientType ?? 'public', grantType: input.grantType ?? 'device_code', redirectUris: [], requireConsent: true,
  });
  const auth = clientSecret ? client.ClientSecretBasic(clientSecret) : client.None();
  const config = await client.discovery(new URL(`${server.url}/openid`), row.clientId, undefined, auth, insecure);
  return { config, clientId: row.clientId };
}

/** What a person does on the device page: enter the code, confirm, consent. Returns the last page. */
async function approve(browser: Browser, userCode: string): Promise<string> {
  const entry = await browser.get('/openid/device');
  assert.equal(entry.status, 200);
  const page = await entry.text();
  assert.doesNotMatch(page, /<script/i, 'the device page works without JavaScript');
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1];
  assert.ok(xsrf);
  const confirm = await browser.post('/openid/device', { xsrf, user_code: userCode });
  const confirmPage = await confirm.text();
  assert.equal(confirm.status, 200, confirmPage);
  assert.match(confirmPage, /QGIS plugin/, 'the confirmation names the application');
  assert.match(confirmPage, /Your e-mail address/, 'and what it asks for');
  const form = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(confirmPage)?.[1];
  const { res, url } = await browser.follow(await browser.post('/openid/device', { xsrf: form('xsrf')!, user_code: form('user_code')!, confirm: 'yes' }));
  let text = await res.text();
  const uid = /action="\/interaction\/([^/"]+)\/confirm"/.exec(text)?.[1];
  if (uid) {
    const done = await browser.follow(await browser.submitForm(`/interaction/${uid}`, {}, `/interaction/${uid}/confirm`));
    text = await done.res.text();
  }
  assert.ok(text, url);
  return text;
}

describe('device authorization grant (RFC 8628)', () => {
  test('discovery, code entry tolerant of case and dashes, confirmation, tokens at the poll; the device code is single-use', async () => {
    const rp = await deviceRp();
    const meta = rp.config.serverMetadata();
    assert.equal(meta.device_authorization_endpoint, `${server.url}/openid/device/auth`);
    assert.ok(meta.grant_types_supported?.includes('urn:ietf:params:oauth:grant-type:device_code'));
    const started = await client.initiateDeviceAuthorization(rp.config, { scope: 'openid email' });
    assert.equal(started.verification_uri, `${server.url}/openid/device`);
    assert.match(started.user_code, /^[A-Z]{4}-[A-Z]{4}$/);
    const browser = await server.signIn(alice.email, alice.password);
    const sloppy = started.user_code.replace('-', '').toLowerCase();
    const last = await approve(browser, sloppy);
    assert.match(last, /is signed in on your device/);
    const tokens = await client.pollDeviceAuthorizationGrant(rp.config, { ...started, interval: 0.01 } as typeof started);
    assert.equal(tokens.claims()?.sub, String(alice.id));
    assert.equal(tokens.claims()?.email, 'alice@example.com');
    // Twice: the device code was consumed by the first poll.
    const again = await fetch(`${server.url}/openid/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: started.device_code, client_id: rp.clientId }),
    });
    assert.equal(again.status, 400);
    assert.equal((await again.json() as { error: string }).error, 'invalid_grant');
  });

  test('in Chromium, as a person signed out: the code (typed in lower case), the login page, consent, the end page', async (t) => {
    const rp = await deviceRp();
    const started = await client.initiateDeviceAuthorization(rp.config, { scope: 'openid email' });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
    t.after(() => browser.close());
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(started.verification_uri);
    await page.getByLabel('Code').fill(started.user_code.toLowerCase());
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('QGIS plugin').first().waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/accounts\/login\//);
    await page.getByLabel('Email').fill(alice.email);
    await page.getByLabel('Password').fill(alice.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.getByText('is signed in on your device').waitFor();
    const tokens = await client.pollDeviceAuthorizationGrant(rp.config, { ...started, interval: 0.01 } as typeof started);
    assert.equal(tokens.claims()?.email, 'alice@example.com');
  });

  test('polling before approval: authorization_pending, then slow_down when too fast', async () => {
    const rp = await deviceRp();
    const started = await client.initiateDeviceAuthorization(rp.config, { scope: 'openid' });
    const poll = () => fetch(`${server.url}/openid/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: started.device_code, client_id: rp.clientId }),
    }).then(async (r) => (await r.json() as { error: string }).error);
    assert.equal(await poll(), 'authorization_pending');
    assert.equal(await poll(), 'slow_down');
  });

  test('an expired device code is refused at the poll and its user code at the page', async () => {
    const rp = await deviceRp();
    const started = await client.initiateDeviceAuthorization(rp.config, { scope: 'openid' });
    // As if ten minutes had passed: the row's expiry and the code's own.
    await server.database.db.update(oidcPayloads)
      .set({ expiresAt: new Date(Date.now() - 1000), payload: sql`jsonb_set(${oidcPayloads.payload}, '{exp}', to_jsonb(extract(epoch from now())::int - 10))` })
      .where(eq(oidcPayloads.model, 'DeviceCode'));
    const res = await fetch(`${server.url}/openid/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: started.device_code, client_id: rp.clientId }),
    });
    const body = await res.json() as { error: string };
    assert.ok(['expired_token', 'invalid_grant'].includes(body.error), body.error);
    const browser = await server.signIn(alice.email, alice.password);
    const page = await (await browser.get('/openid/device')).text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)![1];
    const refused = await browser.post('/openid/device', { xsrf, user_code: started.user_code });
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /This code has expired/);
  });

  test('a wrong code re-renders the page with an error (400), and many are throttled (429); a client without the grant is refused', async () => {
    const browser = await server.signIn(alice.email, alice.password);
    const page = await (await browser.get('/openid/device')).text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)![1];
    const wrong = await browser.post('/openid/device', { xsrf, user_code: 'BCDF-GHJK' });
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /This code is not known/);
    // The wrong code counted; two more (at the spelling with a slash too, which the provider
    // also serves) and the page refuses with 429 before checking any code, at either spelling.
    await browser.post('/openid/device/', { xsrf, user_code: 'BCDF-GHJL' });
    await browser.post('/openid/device', { xsrf, user_code: 'BCDF-GHJM' });
    const throttled = await browser.post('/openid/device/', { xsrf, user_code: 'BCDF-GHJN' });
    assert.equal(throttled.status, 429);
    assert.ok(throttled.headers.get('retry-after'));
    assert.match(await throttled.text(), /Too many wrong codes/);
    const other = await deviceRp({ clientType: 'confidential', grantType: 'client_credentials' });
    await assert.rejects(client.initiateDeviceAuthorization(other.config, { scope: 'openid' }), (err: client.ResponseBodyError) => {
      assert.equal(err.error, 'unauthorized_client', err.error_description);
      return true;
    });
  });
});
