// #20 signing-key rotation over two nodes (separate processes) on one PostgreSQL database: a key
// rotated through node A is in both nodes' /openid/jwks before any node signs with it; both
// switch to it at its activation time by their own clocks (no message then); tokens the old key
// signed keep verifying through both JWKS while it retires; then it leaves both JWKS and the
// sweep deletes it. Short configured delays (seconds) stand in for the hour of production.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { announceSigningKeys, createRsaSigningKey, deleteRetiredSigningKeys } from '../../src/signing-keys/index.ts';
import { basicAuth, Browser } from '../helpers/cookie-jar.ts';
import { cleanEnv, runCli } from '../helpers/cli-process.ts';
import { startTwoNodes } from '../helpers/server-process.ts';
import { testDatabaseUrl } from '../helpers/test-database.ts';

const skip = testDatabaseUrl ? false : 'two nodes share PostgreSQL (run with DJAM_TEST_DATABASE_URL): the embedded database belongs to one process';
const API = 'https://api.example/';
const TTL_SECONDS = 5;
const ACTIVATION_DELAY_SECONDS = 5;
// A replaced key stays published for the longest signed-token lifetime: here the proxy's 60 s
// identity JWT, above the 5 s id and access tokens.
const RETIRING_SECONDS = 60;
const ENV = {
  DJAM_SIGNING_KEY_ACTIVATION_DELAY_SECONDS: String(ACTIVATION_DELAY_SECONDS),
  DJAM_ID_TOKEN_TTL_SECONDS: String(TTL_SECONDS), DJAM_ACCESS_TOKEN_TTL_SECONDS: String(TTL_SECONDS),
  DJAM_OIDC_RESOURCE_SERVERS: JSON.stringify({ [API]: { scopes: 'api:read' } }),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jwks = async (node: string) => await (await fetch(`${node}/openid/jwks`)).json() as JSONWebKeySet;
const kids = async (node: string) => (await jwks(node)).keys.map((k) => String(k.kid));

/** Polls until `check` holds; resolves with the milliseconds it took (`polls`: how many checks failed first). */
async function within(ms: number, what: string, check: () => Promise<boolean>): Promise<{ ms: number; polls: number }> {
  const start = performance.now();
  let polls = 0;
  while (!(await check())) {
    if (performance.now() - start > ms) assert.fail(`${what}: not within ${ms} ms`);
    polls += 1;
    await sleep(2);
  }
  return { ms: performance.now() - start, polls };
}

test('#20 two nodes: a rotated key is published by both before either signs with it, both switch at its activation, the old key verifies while retiring and then goes', { skip, timeout: 180_000 }, async (t) => {
  const { a, b, make, database } = await startTwoNodes(t, ENV);
  const { client, clientSecret } = await make.client({ grantType: 'client_credentials', redirectUris: [], scope: 'read write api:read' });
  const jwtFrom = async (node: string) => {
    const res = await fetch(`${node}/openid/token`, {
      method: 'POST', headers: { authorization: basicAuth(client.clientId, clientSecret!), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: API }),
    });
    assert.equal(res.status, 200);
    return (await res.json() as { access_token: string }).access_token;
  };
  const kidFrom = async (node: string) => String(decodeProtectedHeader(await jwtFrom(node)).kid);
  const root = await make.user({ email: 'root@example.com', isSuperuser: true, isStaff: true });
  const admin = new Browser(a.url);
  assert.equal((await admin.submitForm('/accounts/login/', { username: root.email, password: root.password })).status, 302);
  await admin.get('/api/admin/session');
  const adminCall = async (method: string, path: string, body?: unknown) => {
    const res = await admin.fetch(`/api/admin${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-csrftoken': admin.cookie('XSRF-TOKEN') ?? '' },
    });
    return { status: res.status, body: await res.json() as Record<string, unknown> & { items?: Array<Record<string, string>> } };
  };
  const stateOf = async (kid: string) => (await adminCall('GET', '/signing-keys')).body.items!.find((k) => k.kid === kid);

  const [k0] = await kids(a.url);
  assert.deepEqual(await kids(b.url), [k0]);
  const oldToken = await jwtFrom(a.url);
  assert.equal(decodeProtectedHeader(oldToken).kid, k0);

  // Rotation through node A; node B hears it on the change feed.
  const requested = performance.now();
  const rotated = await adminCall('POST', '/signing-keys', {});
  const answered = performance.now();
  assert.equal(rotated.status, 201);
  const k1 = rotated.body.kid as string;
  const activatesMs = Date.parse(rotated.body.activates_at as string);
  assert.ok((await kids(a.url)).includes(k1), 'node A publishes the key as it answers');
  const onB = await within(2000, 'node B publishes the new kid', async () => (await kids(b.url)).includes(k1));
  t.diagnostic(`new kid on node B ${onB.ms.toFixed(1)} ms after node A answered (${onB.polls} failed polls; ${(answered - requested + onB.ms).toFixed(1)} ms after the request)`);

  // Published everywhere, signing nowhere yet.
  for (const node of [a.url, b.url]) {
    assert.deepEqual((await kids(node)).sort(), [k0, k1].sort());
    assert.equal(await kidFrom(node), k0, 'the old key signs until the activation');
  }
  assert.ok(Date.now() < activatesMs - 1000, 'the checks above ran before the activation');

  // At the activation both nodes switch by their own clocks.
  await sleep(activatesMs - Date.now());
  for (const [name, node] of [['A', a.url], ['B', b.url]]) {
    const lag = await within(1000, `node ${name} signs with the new key`, async () => (await kidFrom(node)) === k1);
    t.diagnostic(`node ${name} signed with the new kid ${(Date.now() - activatesMs)} ms after its activation time (poll ${lag.ms.toFixed(0)} ms)`);
  }
  // A token the old key signed still verifies through either node's JWKS (checked as of its own
  // lifetime: its 5 s may have run out meanwhile; what matters is that its key is published).
  const { iat } = decodeJwt(oldToken);
  for (const node of [a.url, b.url]) {
    const keySet = createLocalJWKSet(await jwks(node));
    await jwtVerify(oldToken, keySet, { currentDate: new Date(iat! * 1000), audience: API });
    await jwtVerify(await jwtFrom(node), keySet, { audience: API });
  }
  const old = await stateOf(k0);
  assert.equal(old?.state, 'retiring');
  assert.equal(Date.parse(old.published_until) - activatesMs, RETIRING_SECONDS * 1000);
  assert.equal((await stateOf(k1))?.state, 'active');

  // Once every token it signed has expired, the old key leaves both JWKS, then the sweep deletes it.
  const leavesMs = Date.parse(old.published_until);
  await sleep(leavesMs - Date.now() - 1000);
  for (const node of [a.url, b.url]) assert.ok((await kids(node)).includes(k0), 'still published a second before');
  await sleep(leavesMs - Date.now());
  for (const [name, node] of [['A', a.url], ['B', b.url]]) {
    await within(1000, `node ${name} drops the retired kid`, async () => !(await kids(node)).includes(k0));
    assert.deepEqual(await kids(node), [k1]);
  }
  assert.equal((await stateOf(k0))?.state, 'retired');
  const swept = await deleteRetiredSigningKeys({ db: database.db, config: { DJAM_ID_TOKEN_TTL_SECONDS: TTL_SECONDS, DJAM_ACCESS_TOKEN_TTL_SECONDS: TTL_SECONDS, resourceServers: {} } });
  assert.deepEqual(swept, [k0]);
  assert.equal(await stateOf(k0), undefined, 'no pile-up: the retired key is gone');
  assert.equal(await kidFrom(b.url), k1);
});

test('#20 two nodes: a key created by the CLI in a third process is in both JWKS when the command returns, and signs nowhere before its time', { skip, timeout: 120_000 }, async (t) => {
  const { a, b, env, make, database, keys: secretKeys } = await startTwoNodes(t, ENV);
  const { client, clientSecret } = await make.client({ grantType: 'client_credentials', redirectUris: [], scope: 'read write api:read' });
  const kidFrom = async (node: string) => {
    const res = await fetch(`${node}/openid/token`, {
      method: 'POST', headers: { authorization: basicAuth(client.clientId, clientSecret!), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: API }),
    });
    return String(decodeProtectedHeader((await res.json() as { access_token: string }).access_token).kid);
  };
  const [k0] = await kids(a.url);
  const out = await runCli(['creatersakey'], { ...cleanEnv(), ...env, DJAM_SIGNING_KEY_ACTIVATION_DELAY_SECONDS: '3600' });
  const lags = await Promise.all([a.url, b.url].map((node) => within(2000, `${node} publishes the CLI's kid`, async () => {
    const k1 = /^RSA key successfully created with kid: ([0-9a-f]{32})\n/.exec(out.stdout)?.[1];
    return k1 !== undefined && (await kids(node)).includes(k1);
  })));
  assert.equal(out.code, 0, out.stderr);
  t.diagnostic(`the CLI's kid was on node A ${lags[0].ms.toFixed(1)} ms (${lags[0].polls} failed polls) and on node B ${lags[1].ms.toFixed(1)} ms (${lags[1].polls} failed polls) after the command returned`);
  for (const node of [a.url, b.url]) {
    assert.equal((await kids(node)).length, 2);
    assert.equal(await kidFrom(node), k0, 'the new key signs only after its activation delay');
  }

  // The bare change-feed latency: a row committed and announced (no waiting for acknowledgements)
  // until node B serves it.
  const k2 = await createRsaSigningKey({ db: database.db, keys: secretKeys }, new Date(Date.now() + 3600_000));
  const announced = performance.now();
  await announceSigningKeys(database.db, k2);
  const seen = await within(2000, 'node B publishes the announced kid', async () => (await kids(b.url)).includes(k2));
  t.diagnostic(`an announced kid was on node B ${(performance.now() - announced).toFixed(1)} ms after the announcement (${seen.polls} failed polls)`);
});
