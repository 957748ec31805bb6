// #24 through openid-client, on one server: dynamic client registration (RFC 7591/7592) and token
// exchange (RFC 8693).
// Registration: only with an initial access token a superuser issued (shown once, listed,
// revocable); the registration policy refuses the admin scope and takes nothing DJAM-specific
// from the registrant; the registered client signs users in with their consent; read, update and
// delete with the registration access token.
// Token exchange: a backend exchanges a user's access token for a JWT meant for another API
// (audience-restricted, same user, `act` naming the backend); the one policy refuses an audience
// the client may not reach, a client not registered for any, a bad subject token.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { eq } from 'drizzle-orm';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { AdminCaller } from '../helpers/admin.fixture.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';
import { oauthClients } from '../../src/db/schema.ts';

const CALLBACK = 'http://127.0.0.1:8100/cb';
const API = 'https://api.example/';
const OTHER = 'https://other.example/';
const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
const insecure = { execute: [client.allowInsecureRequests] };
let server: TestServer;
let superuser: AdminCaller;
let staff: AdminCaller;
let userToken: string;
let aliceId: number;

before(async (t) => {
  server = await startTestServer(t, {
    DJAM_DYNAMIC_REGISTRATION: 'true',
    DJAM_OIDC_RESOURCE_SERVERS: JSON.stringify({ [API]: { scopes: 'api:read api:write' }, [OTHER]: { scopes: 'other:read' } }),
  });
  const su = await server.make.user({ email: 'root@example.com', isStaff: true, isSuperuser: true });
  const st = await server.make.user({ email: 'staff@example.com', isStaff: true });
  superuser = new AdminCaller(server, { browser: await server.signIn(su.email, su.password) });
  staff = new AdminCaller(server, { browser: await server.signIn(st.email, st.password) });
  const alice = await server.make.user({ email: 'alice@example.com', firstName: 'Alice', lastName: 'Liddell' });
  aliceId = alice.id;
  const { client: front, clientSecret } = await server.make.client({ clientType: 'confidential', redirectUris: [CALLBACK], requireConsent: false, scope: 'openid email' });
  const config = await client.discovery(new URL(`${server.url}/openid`), front.clientId, undefined, client.ClientSecretBasic(clientSecret!), insecure);
  const browser = await server.signIn(alice.email, alice.password);
  const state = client.randomState();
  const res = await browser.get(client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid email', state }).href);
  userToken = (await client.authorizationCodeGrant(config, new URL(res.headers.get('location')!), { expectedState: state })).access_token;
});

const issuer = () => new URL(`${server.url}/openid`);

function register(metadata: Partial<client.ClientMetadata>, initialAccessToken?: string) {
  return client.dynamicClientRegistration(issuer(), { redirect_uris: [CALLBACK], ...metadata }, undefined, { ...insecure, initialAccessToken });
}

describe('dynamic client registration', () => {
  test('refused without an initial access token; staff may not issue one, a superuser may (shown once, listed, revocable)', async () => {
    const meta = (await client.discovery(issuer(), 'x', undefined, undefined, insecure)).serverMetadata();
    assert.equal(meta.registration_endpoint, `${server.url}/openid/register`);
    await assert.rejects(register({ client_name: 'Anonymous' }), (err: Error & { status?: number; error?: string }) => {
      assert.ok(err instanceof client.ResponseBodyError || err instanceof client.WWWAuthenticateChallengeError, String(err));
      return true;
    });
    assert.equal((await staff.post('/initial-access-tokens', { expires_in: 600 })).body.error, 'SUPERUSER_REQUIRED');
    const issued = await superuser.post('/initial-access-tokens', { expires_in: 600 });
    assert.equal(issued.status, 201);
    assert.equal(typeof issued.body.token, 'string');
    const listed = await superuser.get('/initial-access-tokens');
    assert.ok(listed.body.items.some((i: { id: string }) => i.id === issued.body.id));
    assert.ok(!JSON.stringify(listed.body).includes(issued.body.token), 'the list never shows a token');
    assert.equal((await superuser.delete(`/initial-access-tokens/${issued.body.id}`)).status, 204);
    await assert.rejects(register({ client_name: 'Late' }, issued.body.token));
  });

  test('a registration asking for the admin scope is refused; DJAM settings are not taken from a registrant', async () => {
    const { token } = (await superuser.post('/initial-access-tokens', { expires_in: 600 })).body;
    await assert.rejects(register({ client_name: 'Greedy', scope: 'openid admin' }, token), (err: client.ResponseBodyError) => err.error === 'invalid_client_metadata');
    const sneaky = await register({ client_name: 'Sneaky', scope: 'openid email', 'urn:djam:require_consent': false } as Partial<client.ClientMetadata>, token);
    const [row] = await server.database.db.select().from(oauthClients).where(eq(oauthClients.clientId, sneaky.clientMetadata().client_id));
    assert.equal(row.requireConsent, true, 'a registered client always asks for consent');
    assert.equal(row.ownerId, null);
  });

  test('the registered client signs a user in (consent asked), then is read, updated and deleted with its registration access token', async () => {
    const { token } = (await superuser.post('/initial-access-tokens', { expires_in: 600 })).body;
    const config = await register({ client_name: 'Self-registered', scope: 'openid email', backchannel_logout_uri: 'https://rp.example/bcl' }, token);
    const registered = config.clientMetadata() as client.ClientMetadata & { registration_access_token: string; registration_client_uri: string };
    assert.equal(registered.backchannel_logout_uri, 'https://rp.example/bcl');
    const user = await server.make.user({ firstName: 'Reg', lastName: 'User' });
    const browser = await server.signIn(user.email, user.password);
    const state = client.randomState();
    const consent = await browser.follow(await browser.get(client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid email', state }).href));
    const uid = /action="\/interaction\/([^/"]+)\/confirm"/.exec(await consent.res.text())?.[1];
    assert.ok(uid, 'the consent page is shown');
    const { url } = await browser.follow(await browser.submitForm(`/interaction/${uid}`, {}, `/interaction/${uid}/confirm`));
    const tokens = await client.authorizationCodeGrant(config, new URL(url), { expectedState: state });
    assert.equal(tokens.claims()?.sub, String(user.id));

    const auth = { authorization: `Bearer ${registered.registration_access_token}` };
    const read = await fetch(registered.registration_client_uri, { headers: auth });
    assert.equal(read.status, 200);
    const current = await read.json() as Record<string, unknown> & { registration_access_token: string };
    const update = await fetch(registered.registration_client_uri, {
      method: 'PUT', headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: current.client_id, client_secret: current.client_secret, redirect_uris: [CALLBACK], client_name: 'Renamed', scope: 'openid' }),
    });
    const updated = await update.json() as { client_name: string; registration_access_token: string };
    assert.equal(update.status, 200, JSON.stringify(updated));
    assert.equal(updated.client_name, 'Renamed');
    const escalate = await fetch(registered.registration_client_uri, {
      method: 'PUT', headers: { authorization: `Bearer ${updated.registration_access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: current.client_id, client_secret: current.client_secret, redirect_uris: [CALLBACK], scope: 'openid admin' }),
    });
    assert.equal(escalate.status, 400, 'an update may not add the admin scope either');
    const removed = await fetch(registered.registration_client_uri, { method: 'DELETE', headers: { authorization: `Bearer ${updated.registration_access_token}` } });
    assert.equal(removed.status, 204);
    assert.equal((await server.database.db.select().from(oauthClients).where(eq(oauthClients.clientId, String(current.client_id)))).length, 0);
  });
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
