// #24 RFC 8693 through openid-client: a backend exchanges a user's access token for a JWT meant
// for another API (audience-restricted, same user, `act` naming the backend); the one policy
// refuses an audience the client may not reach, a client not registered for any, a bad subject token.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

const CALLBACK = 'http://127.0.0.1:8100/cb';
const API = 'https://api.example/';
const OTHER = 'https://other.example/';
const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
const insecure = { execute: [client.allowInsecureRequests] };
let server: TestServer;
let userToken: string;
let aliceId: number;

before(async (t) => {
  server = await startTestServer(t, { DJAM_OIDC_RESOURCE_SERVERS: JSON.stringify({ [API]: { scopes: 'api:read api:write' }, [OTHER]: { scopes: 'other:read' } }) });
  const alice = await server.make.user({ email: 'alice@example.com', firstName: 'Alice', lastName: 'Liddell' });
  aliceId = alice.id;
  const { client: front, clientSecret } = await server.make.client({ clientType: 'confidential', redirectUris: [CALLBACK], requireConsent: false, scope: 'openid email' });
  const config = await client.discovery(new URL(`${server.url}/openid`), front.clientId, undefined, client.ClientSecretBasic(clientSecret!), insecure);
  const browser = await server.signIn(alice.email, alice.password);
  const state = client.randomState();
  const res = await browser.get(client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid email', state }).href);
  userToken = (await client.authorizationCodeGrant(config, new URL(res.headers.get('location')!), { expectedState: state })).access_token;
});

async function backend(audiences?: string[]) {
  const { client: row, clientSecret } = await server.make.client({
    clientType: 'confidential', grantType: 'client_credentials', redirectUris: [], scope: 'read api:read other:read',
    protocol: audiences ? { token_exchange_audiences: audiences } : {},
  });
  return { clientId: row.clientId, config: await client.discovery(new URL(`${server.url}/openid`), row.clientId, undefined, client.ClientSecretBasic(clientSecret!), insecure) };
}

async function oauthError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof client.ResponseBodyError, String(err));
    return err.error;
  }
  assert.fail('expected an OAuth error');
}

const exchange = (config: client.Configuration, params: Record<string, string>) =>
  client.genericGrantRequest(config, EXCHANGE, { subject_token: userToken, subject_token_type: ACCESS_TOKEN, ...params });

describe('token exchange (RFC 8693)', () => {
  test('a backend registered for the API gets a JWT for it, for the same user, with act naming the backend', async () => {
    const { config, clientId } = await backend([API]);
    const answer = await exchange(config, { audience: API, scope: 'api:read' });
    assert.equal(answer.issued_token_type, ACCESS_TOKEN);
    const jwks = createRemoteJWKSet(new URL(`${server.url}/openid/jwks`));
    const { payload } = await jwtVerify(answer.access_token, jwks, { issuer: `${server.url}/openid`, audience: API, typ: 'at+jwt' });
    assert.equal(payload.sub, String(aliceId));
    assert.equal(payload.client_id, clientId);
    assert.equal(payload.scope, 'api:read');
    assert.deepEqual(payload.act, { sub: clientId });
  });

  test('refused: an audience the client may not reach, a client registered for none, a bad or missing subject token', async () => {
    const { config } = await backend([API]);
    assert.equal(await oauthError(exchange(config, { audience: OTHER })), 'invalid_target');
    assert.equal(await oauthError(exchange(config, { audience: 'https://unknown.example/' })), 'invalid_target');
    const plain = await backend();
    assert.equal(await oauthError(exchange(plain.config, { audience: API })), 'unauthorized_client');
    assert.equal(await oauthError(client.genericGrantRequest(config, EXCHANGE, { subject_token: 'forged', subject_token_type: ACCESS_TOKEN, audience: API })), 'invalid_grant');
    assert.equal(await oauthError(client.genericGrantRequest(config, EXCHANGE, { subject_token: userToken, subject_token_type: 'urn:ietf:params:oauth:token-type:id_token', audience: API })), 'invalid_request');
  });
});
