// #20 signing-key rotation on one node, as a relying party and an operator see it: a rotated key
// is published at once and signs only from its activation, so an RP that refreshed its JWKS in
// between validates the new key's tokens without another fetch; activate_now (the console's
// checkbox, `creatersakey --activate-now`) signs at once, the old key staying published. The
// RP is openid-client with signature checks on (it caches the JWKS for up to 5 minutes and
// refetches on an unknown kid only after a minute). Two nodes: test/ops/two-nodes-key-rotation.test.ts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import * as client from 'openid-client';
import { AdminCaller } from '../helpers/admin.fixture.ts';
import { basicAuth, type Browser } from '../helpers/cookie-jar.ts';
import { cleanEnv, runCli, startServerOnCliData } from '../helpers/cli-process.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';
import { openTestDatabase, testDatabaseUrl } from '../helpers/test-database.ts';

const CALLBACK = 'http://127.0.0.1:8100/cb';
const API = 'https://api.example/';
const ACTIVATION_DELAY_SECONDS = 3;

let server: TestServer;
let superuser: AdminCaller;
let alice: Browser;

before(async (t) => {
  server = await startTestServer(t, {
    DJAM_SIGNING_KEY_ACTIVATION_DELAY_SECONDS: String(ACTIVATION_DELAY_SECONDS),
    DJAM_ID_TOKEN_TTL_SECONDS: '300', DJAM_ACCESS_TOKEN_TTL_SECONDS: '120',
    DJAM_OIDC_RESOURCE_SERVERS: JSON.stringify({ [API]: { scopes: 'api:read' } }),
  });
  const root = await server.make.user({ email: 'root@example.com', isSuperuser: true, isStaff: true });
  superuser = new AdminCaller(server, { browser: await server.signIn(root.email, root.password) });
  await superuser.get('/session'); // hands out the CSRF token the admin API wants back
  const user = await server.make.user({ email: 'alice@example.com' });
  alice = await server.signIn(user.email, user.password);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid ?? '(none)';
const publishedKids = async () => ((await (await fetch(`${server.url}/openid/jwks`)).json()) as { keys: Array<{ kid: string; d?: string }> }).keys.map((k) => k.kid);

/** A confidential RP that checks id_token signatures against the JWKS, counting its JWKS downloads. */
async function relyingParty() {
  const { client: row, clientSecret } = await server.make.client({ redirectUris: [CALLBACK], requireConsent: false });
  const fetched = { jwks: 0 };
  const config = await client.discovery(new URL(`${server.url}/openid`), row.clientId, undefined, client.ClientSecretBasic(clientSecret!), { execute: [client.allowInsecureRequests] });
  config[client.customFetch] = (url, options) => {
    if (new URL(url).pathname === '/openid/jwks') fetched.jwks += 1;
    return fetch(url, options);
  };
  client.enableNonRepudiationChecks(config);
  const signIn = async () => {
    const state = client.randomState();
    const res = await alice.get(client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', state }).href);
    return client.authorizationCodeGrant(config, new URL(res.headers.get('location')!), { expectedState: state, idTokenExpected: true });
  };
  return { signIn, fetched };
}

async function jwtAccessToken(): Promise<string> {
  const { client: row, clientSecret } = await server.make.client({ grantType: 'client_credentials', redirectUris: [], scope: 'read write api:read' });
  const res = await fetch(`${server.url}/openid/token`, {
    method: 'POST', headers: { authorization: basicAuth(row.clientId, clientSecret!), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: API }),
  });
  const body = await res.json() as { access_token: string };
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.access_token;
}

describe('#20 signing-key rotation on one node', () => {
  test('a rotated key is published at once, signs from its activation, and an RP validates id tokens across the switch without refetching', async () => {
    const rp = await relyingParty();
    const before = kidOf((await rp.signIn()).id_token!);
    const rotated = await superuser.post('/signing-keys');
    assert.equal(rotated.status, 201);
    assert.equal(rotated.body.state, 'next');
    const kid = rotated.body.kid as string;
    const activatesMs = Date.parse(rotated.body.activates_at);
    assert.ok(Math.abs(activatesMs - Date.now() - ACTIVATION_DELAY_SECONDS * 1000) < 1500, 'it signs after DJAM_SIGNING_KEY_ACTIVATION_DELAY_SECONDS');
    assert.deepEqual((await publishedKids()).sort(), [before, kid].sort(), 'published at once, beside the signing key');

    // Before its activation nothing carries the new kid: an RP caching the JWKS now learns it first.
    const rp2 = await relyingParty();
    const early = await rp2.signIn();
    assert.equal(kidOf(early.id_token!), before);
    assert.equal(kidOf(await jwtAccessToken()), before, 'JWT access tokens follow the same signer');
    assert.equal(rp2.fetched.jwks, 1);

    await sleep(Math.max(0, activatesMs - Date.now()) + 200);
    const late = await rp2.signIn();
    assert.equal(kidOf(late.id_token!), kid, 'every token signed after the activation carries the new kid');
    assert.equal(kidOf(await jwtAccessToken()), kid);
    assert.equal(rp2.fetched.jwks, 1, 'the RP validated the new key\'s id token from the JWKS it cached before the switch');
    assert.equal(late.claims()!.sub, early.claims()!.sub);

    const listed = await superuser.get('/signing-keys');
    const byKid = new Map((listed.body.items as Array<{ kid: string; state: string; signs_until: string | null; published_until: string | null }>).map((k) => [k.kid, k]));
    assert.equal(byKid.get(kid)!.state, 'active');
    const old = byKid.get(before)!;
    assert.equal(old.state, 'retiring', 'the replaced key stays published while its tokens may be presented');
    assert.equal(Date.parse(old.signs_until!), activatesMs);
    // The longest signed-token lifetime here is the id token's 300 s.
    assert.equal(Date.parse(old.published_until!) - activatesMs, 300_000);
    assert.ok((await publishedKids()).includes(before));
  });

  test('activate_now (the console\'s emergency checkbox) signs at once; an RP that cached the JWKS within the minute refuses the new kid, which is why rotation waits', async () => {
    const rp = await relyingParty();
    const before = kidOf((await rp.signIn()).id_token!);
    const rotated = await superuser.post('/signing-keys', { activate_now: true });
    assert.equal(rotated.status, 201);
    assert.equal(rotated.body.state, 'active');
    const kid = rotated.body.kid as string;
    assert.notEqual(kid, before);
    assert.equal(kidOf(await jwtAccessToken()), kid, 'the next token is signed with it');
    assert.ok((await publishedKids()).includes(before), 'the previous key stays published');
    await assert.rejects(rp.signIn(), /no applicable keys found/, 'openid-client does not refetch a JWKS younger than a minute');
    const fresh = await relyingParty();
    assert.equal(kidOf((await fresh.signIn()).id_token!), kid);
  });

  test('a rotation request with a malformed body is refused as VALIDATION_FAILED and creates nothing', async () => {
    const count = (await superuser.get('/signing-keys')).body.items.length;
    for (const body of [{ activate_now: 'yes' }, { activate_now: true, kid: 'mine' }]) {
      const res = await superuser.post('/signing-keys', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error, 'VALIDATION_FAILED');
    }
    assert.equal((await superuser.get('/signing-keys')).body.items.length, count);
  });
});

describe('#20 djam creatersakey', () => {
  const secret = randomBytes(32).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'djam-rsakey-'));
  let testDb: Awaited<ReturnType<typeof openTestDatabase>> | undefined;
  after(async () => {
    await testDb?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const djam = async (args: string[]) => {
    testDb ??= testDatabaseUrl ? await openTestDatabase() : undefined;
    return runCli(['creatersakey', ...args], { ...cleanEnv(), DJAM_DATA_DIR: dataDir, DJAM_SECRET_KEY: secret, ...testDb?.settings });
  };

  test('prints the kid and when the key signs; --activate-now makes it the signer at once', async () => {
    const first = await djam(['--if-missing']);
    assert.equal(first.code, 0, first.stderr);
    const [, k0] = /^RSA key successfully created with kid: ([0-9a-f]{32})\nIt is published and signs from now on\.\n$/.exec(first.stdout) ?? [];
    assert.ok(k0, first.stdout);

    const later = await djam([]);
    assert.equal(later.code, 0, later.stderr);
    const [, k1, at] = /^RSA key successfully created with kid: ([0-9a-f]{32})\nIt is published now and signs from (\S+) \(DJAM_SIGNING_KEY_ACTIVATION_DELAY_SECONDS=3600\); the current key signs until then\.\n$/.exec(later.stdout) ?? [];
    assert.ok(k1, later.stdout);
    assert.ok(Math.abs(Date.parse(at) - Date.now() - 3600_000) < 60_000, at);

    const urgent = await djam(['--activate-now']);
    assert.equal(urgent.code, 0, urgent.stderr);
    const [, k2] = /^RSA key successfully created with kid: ([0-9a-f]{32})\nIt is published and signs from now on\.\n$/.exec(urgent.stdout) ?? [];
    assert.ok(k2, urgent.stdout);

    const node = await startServerOnCliData(dataDir, secret, testDb);
    try {
      const jwks = await (await fetch(`${node.url}/openid/jwks`)).json() as { keys: Array<{ kid: string; d?: string }> };
      assert.deepEqual(jwks.keys.map((k) => k.kid), [k2, k1, k0], 'the signer first, then the next key, then the replaced one');
      assert.ok(jwks.keys.every((k) => k.d === undefined), 'only public parts are published');
    } finally {
      await node.close();
    }
  });
});
