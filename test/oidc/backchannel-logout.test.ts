// #24 OIDC Back-Channel Logout 1.0: a client registers a backchannel_logout_uri; the id token
// carries `sid`; signing out (RP-initiated at /openid/end-session, or DJAM's own sign-out) POSTs a
// logout token signed by the provider to the client, as a job of the durable queue: a receiver
// that was down gets it once it is back (the job is retried).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Browser } from '../helpers/cookie-jar.ts';
import { afterOf, startTestServer, type TestServer } from '../helpers/start-server.ts';
import { AdminCaller } from '../helpers/admin.fixture.ts';

const CALLBACK = 'http://127.0.0.1:8100/cb';
const insecure = { execute: [client.allowInsecureRequests] };
let server: TestServer;
let alice: Awaited<ReturnType<TestServer['make']['user']>>;

/** The receiving application: records logout tokens; answers 503 while `down`. */
const receiver = { tokens: [] as string[], attempts: 0, down: false, url: '' };

before(async (t) => {
  const http: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => { body += chunk.toString(); });
    req.on('end', () => {
      receiver.attempts++;
      if (receiver.down) return res.writeHead(503).end();
      const token = new URLSearchParams(body).get('logout_token');
      if (token) receiver.tokens.push(token);
      res.writeHead(200, { 'cache-control': 'no-store' }).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  afterOf(t)(() => new Promise<void>((resolve) => { http.close(() => resolve()); http.closeAllConnections(); }));
  receiver.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/backchannel-logout`;
  server = await startTestServer(t, { DJAM_JOB_RETRY_SECONDS: '0.3', DJAM_JOB_POLL_SECONDS: '0.1' });
  alice = await server.make.user({ email: 'alice@example.com', firstName: 'Alice', lastName: 'Liddell' });
});

async function waitFor(done: () => boolean, { timeoutMs, what }: { timeoutMs: number; what: string }): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) assert.fail(`${what} did not come within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function signedInRp(browser: Browser) {
  const { client: row, clientSecret } = await server.make.client({
    clientType: 'confidential', redirectUris: [CALLBACK], postLogoutRedirectUris: ['http://127.0.0.1:8100/out'], requireConsent: false,
    protocol: { backchannel_logout_uri: receiver.url, backchannel_logout_session_required: true },
  });
  const config = await client.discovery(new URL(`${server.url}/openid`), row.clientId, undefined, client.ClientSecretBasic(clientSecret!), insecure);
  const state = client.randomState();
  const res = await browser.get(client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', state }).href);
  const tokens = await client.authorizationCodeGrant(config, new URL(res.headers.get('location')!), { expectedState: state });
  return { config, clientId: row.clientId, tokens };
}

async function verifiedLogoutToken(token: string) {
  const jwks = createRemoteJWKSet(new URL(`${server.url}/openid/jwks`));
  const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: `${server.url}/openid`, typ: 'logout+jwt' });
  return { payload, protectedHeader };
}

describe('back-channel logout', () => {
  test('RP-initiated logout: the client gets a logout token naming the user and the sid of its id token', async () => {
    const browser = await server.signIn(alice.email, alice.password);
    const { config, clientId, tokens } = await signedInRp(browser);
    const sid = tokens.claims()?.sid;
    assert.equal(typeof sid, 'string', 'the id token carries sid');
    receiver.tokens.length = 0;
    const endSession = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token! });
    const page = await (await browser.get(endSession.href)).text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)![1];
    const action = /<form[^>]*id="op\.logoutForm"[^>]*action="([^"]+)"/.exec(page)?.[1] ?? /action="([^"]+)"[^>]*id="op\.logoutForm"/.exec(page)![1];
    await browser.post(new URL(action, endSession).href, { xsrf, logout: 'yes' });
    await waitFor(() => receiver.tokens.length === 1, { timeoutMs: 5000, what: 'the logout token' });
    const { payload } = await verifiedLogoutToken(receiver.tokens[0]);
    assert.equal(payload.aud, clientId);
    assert.equal(payload.sub, String(alice.id));
    assert.equal(payload.sid, sid);
    assert.deepEqual(payload.events, { 'http://schemas.openid.net/event/backchannel-logout': {} });
    assert.equal(payload.nonce, undefined, 'a logout token has no nonce');
  });

  test('DJAM sign-out while the receiver is down: the job is retried and the token arrives once it is back', async () => {
    const browser = await server.signIn(alice.email, alice.password);
    const { clientId, tokens } = await signedInRp(browser);
    receiver.tokens.length = 0;
    receiver.attempts = 0;
    receiver.down = true;
    await browser.signOut();
    await waitFor(() => receiver.attempts >= 2, { timeoutMs: 8000, what: 'two refused deliveries' });
    assert.equal(receiver.tokens.length, 0);
    receiver.down = false;
    await waitFor(() => receiver.tokens.length === 1, { timeoutMs: 8000, what: 'the retried delivery' });
    const { payload } = await verifiedLogoutToken(receiver.tokens[0]);
    assert.equal(payload.aud, clientId);
    assert.equal(payload.sid, tokens.claims()?.sid);
  });

  test('an administrator deactivating the user: the applications of every provider session of theirs are told', async () => {
    const bob = await server.make.user({ email: 'bob@example.com', firstName: 'Bob', lastName: 'Builder' });
    const browser = await server.signIn(bob.email, bob.password);
    const { clientId, tokens } = await signedInRp(browser);
    receiver.tokens.length = 0;
    const root = await server.make.user({ email: 'root@example.com', isStaff: true, isSuperuser: true });
    const admin = new AdminCaller(server, { browser: await server.signIn(root.email, root.password) });
    assert.equal((await admin.patch(`/users/${bob.id}`, { is_active: false })).status, 200);
    await waitFor(() => receiver.tokens.length === 1, { timeoutMs: 8000, what: 'the logout token after the deactivation' });
    const { payload } = await verifiedLogoutToken(receiver.tokens[0]);
    assert.equal(payload.aud, clientId);
    assert.equal(payload.sub, String(bob.id));
    assert.equal(payload.sid, tokens.claims()?.sid);
  });
});
