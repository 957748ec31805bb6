// Two separate server processes (two nodes, two ports) on one PostgreSQL database (issue 7): they
// serve the same clients, tokens and keys, and what one node changes the other honours at its very
// next request: the node that made a change answers once every node has applied it (the barrier of
// db/change-feed.ts), so the checks below follow the changes with no waiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { basicAuth, Browser } from '../helpers/cookie-jar.ts';
import { startTwoNodes } from '../helpers/server-process.ts';
import { testDatabaseUrl } from '../helpers/test-database.ts';
import { KEY_API } from '../api-keys/key-api.fixture.ts';

const skip = testDatabaseUrl ? false : 'two nodes share PostgreSQL (run with DJAM_TEST_DATABASE_URL): the embedded database belongs to one process';
const form = { 'content-type': 'application/x-www-form-urlencoded' };

async function grant(node: string, auth: string, scope?: string): Promise<{ status: number; token?: string }> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
  const res = await fetch(`${node}/openid/token`, { method: 'POST', headers: { ...form, authorization: auth }, body });
  return { status: res.status, token: (await res.json() as { access_token?: string }).access_token };
}

const authkeyStatus = async (node: string, key: string) => (await fetch(`${node}/openid/authkey/introspect/?authkey=${key}`)).status;

test('two nodes on one database: tokens, key revocations and client secrets are shared at once', { skip }, async (t) => {
  const { a, b, make } = await startTwoNodes(t);

  await t.test('a client-credentials token issued by node A introspects active on node B', async () => {
    const { client, clientSecret } = await make.client({ grantType: 'client_credentials', redirectUris: [] });
    const auth = basicAuth(client.clientId, clientSecret!);
    const { token } = await grant(a.url, auth);
    const res = await fetch(`${b.url}/openid/introspect`, { method: 'POST', headers: { ...form, authorization: auth }, body: `token=${token}` });
    assert.equal((await res.json() as { active: boolean }).active, true);
  });

  await t.test('a key revoked through node A is refused by node B at its next check', async () => {
    const user = await make.user();
    const { key } = await make.apiKey(user.id, 'resource');
    const { key: management } = await make.apiKey(user.id, 'management');
    assert.equal(await authkeyStatus(b.url, key), 200);
    assert.equal(await authkeyStatus(b.url, key), 200, 'node B now holds the key in its cache');
    const revoke = await fetch(`${a.url}${KEY_API}revoke/`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${management}` },
      body: JSON.stringify({ resource_key: key, revoked: true }),
    });
    assert.equal(revoke.status, 200);
    assert.equal(await authkeyStatus(b.url, key), 403);
  });

  await t.test('a client secret rotated through node A is refused by node B at its next grant', async () => {
    const { client, clientSecret } = await make.client({ grantType: 'client_credentials', redirectUris: [], scope: 'read' });
    const oldAuth = basicAuth(client.clientId, clientSecret!);
    assert.equal((await grant(b.url, oldAuth)).status, 200, 'node B now holds the client in its cache');
    await make.client({ clientId: `robot-${client.id}`, clientSecret: 'robot-secret', grantType: 'client_credentials', redirectUris: [], scope: 'admin' });
    const { token: adminToken } = await grant(a.url, basicAuth(`robot-${client.id}`, 'robot-secret'), 'admin');
    const rotated = await fetch(`${a.url}/api/admin/clients/${client.id}/secret`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
    assert.equal(rotated.status, 200);
    const { client_secret: newSecret } = await rotated.json() as { client_secret: string };
    assert.equal((await grant(b.url, oldAuth)).status, 401);
    assert.equal((await grant(b.url, basicAuth(client.clientId, newSecret))).status, 200);
  });
});

test('two nodes on one database: a browser flow may move between them at every step', { skip }, async (t) => {
  const { a, b, make } = await startTwoNodes(t);
  const user = await make.user();
  const { client } = await make.client({ requireConsent: true, redirectUris: ['http://localhost:8100/cb'] });
  const browser = new Browser(a.url);
  assert.equal((await browser.submitForm('/accounts/login/', { username: user.email, password: user.password })).status, 302);
  const onB = (url: string) => `${b.url}${new URL(url, a.url).pathname}${new URL(url, a.url).search}`;

  // Node A writes the interaction; node B reads it (and keeps it) for the consent page.
  const toConsent = await browser.get(`/openid/authorize?response_type=code&client_id=${client.clientId}&redirect_uri=http://localhost:8100/cb&scope=openid&state=s`);
  assert.equal(toConsent.status, 303);
  const consentUrl = toConsent.headers.get('location')!;
  const page = await (await browser.get(onB(consentUrl))).text();
  const csrf = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page)![1];

  // Node A stores the consent; node B, resuming, must not answer from its earlier copy.
  const toResume = await browser.post(`${new URL(consentUrl, a.url).pathname}/confirm`, { csrfmiddlewaretoken: csrf });
  assert.equal(toResume.status, 303);
  // A browser's redirect takes longer than the change feed's notification from A to B.
  await new Promise((r) => setTimeout(r, 100));
  const toCallback = await browser.get(onB(toResume.headers.get('location')!));
  const callback = new URL(toCallback.headers.get('location') ?? '', 'http://invalid');
  assert.equal(`${callback.origin}${callback.pathname}`, 'http://localhost:8100/cb', `node B answered ${toCallback.status} → ${toCallback.headers.get('location')}`);
  assert.ok(callback.searchParams.get('code'), 'the code is issued by node B');
});

test('two nodes on one database: signing out on one node ends the session on the other at once', { skip }, async (t) => {
  const { a, b, make } = await startTwoNodes(t);
  const user = await make.user();
  const browser = new Browser(a.url);
  assert.equal((await browser.submitForm('/accounts/login/', { username: user.email, password: user.password })).status, 302);
  const account = `${b.url}/user/account/${user.id}/`;
  assert.equal((await browser.get(account)).status, 200, 'node B knows (and now keeps) the session');
  assert.equal((await browser.get(account)).status, 200);
  const token = browser.cookie('djam_sessionid');
  assert.equal((await browser.signOut()).status, 302);
  const stolen = await fetch(account, { headers: { cookie: `djam_sessionid=${token}` }, redirect: 'manual' });
  assert.equal(stolen.status, 302, 'the old cookie no longer opens the account page on node B');
  assert.match(stolen.headers.get('location') ?? '', /\/accounts\/login\//);
});
