// Codes and rotated refresh tokens are single-use even when exchanges race each other: the
// consume is a condition of the statement that stores the new tokens (oidc/write-buffer.ts),
// so exactly one of several simultaneous exchanges gets tokens, and, as for any replay
// (RFC 6749 §4.1.2), the tokens issued from that grant are revoked.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { basicAuth } from '../helpers/cookie-jar.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

const CALLBACK = 'http://localhost:8100/cb';
const form = { 'content-type': 'application/x-www-form-urlencoded' };
let server: TestServer;
let auth: string;
let clientId: string;

before(async (t) => {
  server = await startTestServer(t);
  const { client, clientSecret } = await server.make.client({ requireConsent: false, redirectUris: [CALLBACK], scope: 'openid' });
  clientId = client.clientId;
  auth = basicAuth(client.clientId, clientSecret!);
});

async function token(body: Record<string, string>): Promise<{ status: number; json: Record<string, string> }> {
  const res = await fetch(`${server.url}/openid/token`, { method: 'POST', headers: { ...form, authorization: auth }, body: new URLSearchParams(body) });
  return { status: res.status, json: await res.json() as Record<string, string> };
}

async function freshCode(): Promise<string> {
  const user = await server.make.user();
  const browser = await server.signIn(user.email, user.password);
  const res = await browser.get(`/openid/authorize?response_type=code&client_id=${clientId}&redirect_uri=${CALLBACK}&scope=openid&state=s`);
  const code = new URL(res.headers.get('location') ?? '', server.url).searchParams.get('code');
  assert.ok(code, `a code, got ${res.status} ${res.headers.get('location')}`);
  return code;
}

async function isActive(accessToken: string): Promise<boolean> {
  const res = await fetch(`${server.url}/openid/introspect`, { method: 'POST', headers: { ...form, authorization: auth }, body: `token=${accessToken}` });
  return (await res.json() as { active: boolean }).active;
}

test('of four simultaneous exchanges of one code, exactly one gets tokens, and they are then revoked', async () => {
  const code = await freshCode();
  const answers = await Promise.all(Array.from({ length: 4 }, () => token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK })));
  const winners = answers.filter((a) => a.status === 200);
  assert.equal(winners.length, 1, `statuses: ${answers.map((a) => a.status).join(', ')}`);
  for (const loser of answers.filter((a) => a.status !== 200)) {
    assert.equal(loser.status, 400);
    assert.equal(loser.json.error, 'invalid_grant');
  }
  assert.equal(await isActive(winners[0].json.access_token), false, 'the replayed grant is revoked');
  assert.equal((await token({ grant_type: 'refresh_token', refresh_token: winners[0].json.refresh_token })).status, 400);
});

test('of two simultaneous refreshes with one rotating refresh token, exactly one succeeds', async () => {
  const code = await freshCode();
  const first = await token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK });
  assert.equal(first.status, 200);
  assert.ok(first.json.refresh_token, 'the client may refresh');
  const answers = await Promise.all([0, 1].map(() => token({ grant_type: 'refresh_token', refresh_token: first.json.refresh_token })));
  assert.deepEqual(answers.map((a) => a.status).sort(), [200, 400], `statuses: ${answers.map((a) => a.status).join(', ')}`);
  assert.equal(answers.find((a) => a.status === 400)!.json.error, 'invalid_grant');
});
