// A DPoP-bound access token (RFC 9449) is worth nothing without its key: GeoServer's introspection
// endpoint, which receives the bare token and cannot check a proof, answers it as inactive, as
// the provider's own userinfo refuses it as a plain Bearer. A stolen bound token opens no layer.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as client from 'openid-client';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

const CALLBACK = 'http://127.0.0.1:8100/cb';
const insecure = { execute: [client.allowInsecureRequests] };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
let server: TestServer;

before(async (t) => { server = await startTestServer(t); });

async function introspect(gs: { clientId: string; secret: string }, token: string) {
  const res = await fetch(`${server.url}/openid/introspect/geoserver/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(gs.clientId, gs.secret) },
    body: new URLSearchParams({ token }),
  });
  return { status: res.status, body: await res.json() as Record<string, unknown> };
}

async function tokenFor(email: string, password: string, protocol: Record<string, unknown>) {
  const { client: row, clientSecret } = await server.make.client({
    clientType: 'confidential', grantType: 'authorization_code', redirectUris: [CALLBACK], requireConsent: false, protocol,
  });
  const config = await client.discovery(new URL(`${server.url}/openid`), row.clientId, undefined, client.ClientSecretBasic(clientSecret!), insecure);
  const dpop = protocol.dpop_bound_access_tokens ? { DPoP: client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256')) } : undefined;
  const browser = await server.signIn(email, password);
  const state = client.randomState();
  const res = await browser.get(client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid email', state }).href);
  const tokens = await client.authorizationCodeGrant(config, new URL(res.headers.get('location')!), { expectedState: state }, undefined, dpop);
  return { row, tokens };
}

test('a DPoP-bound token is inactive at the GeoServer introspection endpoint; an unbound one of the same user is active', async () => {
  const alice = await server.make.user({ email: 'alice@example.com' });
  const bound = await tokenFor(alice.email, alice.password, { dpop_bound_access_tokens: true });
  const plain = await tokenFor(alice.email, alice.password, {});
  assert.equal(bound.tokens.token_type.toLowerCase(), 'dpop');
  const gsApp = await server.make.client({
    clientType: 'confidential', grantType: 'client_credentials', redirectUris: [],
    scope: `token_introspection ${bound.row.clientId} ${plain.row.clientId}`,
  });
  const gs = { clientId: gsApp.client.clientId, secret: gsApp.clientSecret! };

  const stolen = await introspect(gs, bound.tokens.access_token);
  assert.equal(stolen.status, 200);
  assert.equal(stolen.body.active, false, 'GeoServer cannot check the proof: the bound token opens nothing');
  assert.equal(stolen.body.username, undefined);

  const ordinary = await introspect(gs, plain.tokens.access_token);
  assert.equal(ordinary.body.active, true, 'the control: an unbound token of the same user is active');
  assert.equal(ordinary.body.username, alice.email);
});
