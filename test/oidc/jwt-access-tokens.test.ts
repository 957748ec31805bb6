// JWT access tokens for the APIs of DJAM_OIDC_RESOURCE_SERVERS (RFC 8707 resource indicators,
// RFC 9068 token shape), over HTTP as a client and an API would see them: the token verifies
// against /openid/jwks with jose, its audience and scopes are the API's; unknown APIs get
// invalid_target; requests without `resource` get the opaque tokens of before.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import * as client from 'openid-client';
import { basicAuth } from '../helpers/cookie-jar.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';

const API = 'https://api.example/';
const REPORTS = 'https://reports.example/v1';
const RESOURCE_SERVERS = JSON.stringify({ [API]: { scopes: 'api:read api:write', ttl: 600 }, [REPORTS]: { scopes: ['reports:read'] } });
const CALLBACK = 'http://127.0.0.1:8100/cb';
const insecure = { execute: [client.allowInsecureRequests] };

interface TokenAnswer { status: number; body: Record<string, unknown> }
interface Service { id: string; secret: string }

let server: TestServer;
let alice: Awaited<ReturnType<TestServer['make']['user']>>;

before(async (t) => {
  server = await startTestServer(t, { DJAM_OIDC_RESOURCE_SERVERS: RESOURCE_SERVERS });
  alice = await server.make.user({ email: 'alice@example.com' });
});

async function service(scope: string, clientId?: string): Promise<Service> {
  const { client: row, clientSecret } = await server.make.client({ grantType: 'client_credentials', redirectUris: [], scope, clientId });
  return { id: row.clientId, secret: clientSecret! };
}

async function token(svc: Service, params: Record<string, string>): Promise<TokenAnswer> {
  const res = await fetch(`${server.url}/openid/token`, {
    method: 'POST', headers: { authorization: basicAuth(svc.id, svc.secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...params }),
  });
  return { status: res.status, body: await res.json() as Record<string, unknown> };
}

/** What an API does: verify signature, issuer, audience and type against the published keys. */
async function verifyAsApi(jwt: unknown, audience: string): Promise<JWTPayload> {
  assert.equal(typeof jwt, 'string');
  const jwks = createRemoteJWKSet(new URL(`${server.url}/openid/jwks`));
  const { payload } = await jwtVerify(jwt as string, jwks, { issuer: server.config.issuer, audience, typ: 'at+jwt', algorithms: ['RS256'] });
  return payload;
}

const isJwt = (value: unknown) => typeof value === 'string' && value.split('.').length === 3;

describe('client_credentials with a resource indicator', () => {
  test('issues an RS256 JWT for the API, verifiable against the JWKS, with the API scopes the client holds', async () => {
    const svc = await service('read write api:read');
    const answer = await token(svc, { resource: API });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.token_type, 'bearer');
    assert.equal(answer.body.expires_in, 600, 'the API ttl');
    assert.equal(answer.body.scope, 'api:read', 'defaults to the API scopes the client may use');
    assert.equal(answer.body.refresh_token, undefined);

    const claims = await verifyAsApi(answer.body.access_token, API);
    assert.equal(claims.sub, svc.id);
    assert.equal(claims.client_id, svc.id);
    assert.equal(claims.scope, 'api:read');
    assert.equal(claims.exp! - claims.iat!, 600);
    assert.ok(claims.jti);
    const header = decodeProtectedHeader(answer.body.access_token as string);
    const published = await (await fetch(`${server.url}/openid/jwks`)).json() as { keys: Array<{ kid: string }> };
    assert.ok(published.keys.some((k) => k.kid === header.kid), 'signed by a published key');
  });

  test('the audience is the URI as configured, however the client spells it; the default ttl applies without one', async () => {
    // `read`: a client's scope list needs one scope the provider knows (src/oidc/client-metadata.ts).
    const svc = await service('read reports:read');
    const answer = await token(svc, { resource: 'https://REPORTS.example/v1' });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.expires_in, server.config.DJAM_ACCESS_TOKEN_TTL_SECONDS);
    assert.equal((await verifyAsApi(answer.body.access_token, REPORTS)).scope, 'reports:read');
  });

  test('scopes of other APIs and OIDC scopes are left out; a scope of the API the client lacks is invalid_scope', async () => {
    const svc = await service('read write api:read api:write reports:read');
    const narrowed = await token(svc, { resource: API, scope: 'read api:write reports:read' });
    assert.equal(narrowed.status, 200, JSON.stringify(narrowed.body));
    assert.equal((await verifyAsApi(narrowed.body.access_token, API)).scope, 'api:write');

    const limited = await service('read api:read');
    const refused = await token(limited, { resource: API, scope: 'api:read api:write' });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, 'invalid_scope');
  });

  test('an unknown, relative or unallowed resource is invalid_target', async () => {
    const svc = await service('read write api:read');
    for (const resource of ['https://elsewhere.example/', 'api', `${API}#part`]) {
      const answer = await token(svc, { resource });
      assert.equal(answer.status, 400, resource);
      assert.equal(answer.body.error, 'invalid_target', resource);
    }
    const outsider = await service('read write');
    const answer = await token(outsider, { resource: API });
    assert.equal(answer.body.error, 'invalid_target', 'a client holding none of the API scopes');
    assert.match(String(answer.body.error_description), /may not request/);
  });

  test('without a resource the token is opaque, as before, with the default scopes', async () => {
    const svc = await service('read write api:read');
    const answer = await token(svc, {});
    assert.equal(answer.status, 200);
    assert.equal(isJwt(answer.body.access_token), false);
    assert.equal(answer.body.scope, 'read write');
    assert.equal(answer.body.expires_in, server.config.DJAM_ACCESS_TOKEN_TTL_SECONDS);
  });

  test('a JWT is not stored: introspection answers inactive, and the token look-up (userinfo, proxy) does not find it', async () => {
    // Allowed by DJAM's rule (docs/compatibility.md §3.5) to introspect its own tokens: the answer is about the JWT.
    const svc = await service('read write api:read token_introspection jwt-svc', 'jwt-svc');
    const introspect = async (value: string) => (await fetch(`${server.url}/openid/introspect`, {
      method: 'POST', headers: { authorization: basicAuth(svc.id, svc.secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: value }),
    })).json() as Promise<{ active: boolean }>;
    const opaque = (await token(svc, {})).body.access_token as string;
    assert.equal((await introspect(opaque)).active, true, 'the same client\'s opaque token is active');
    const jwt = (await token(svc, { resource: API })).body.access_token as string;
    assert.deepEqual(await introspect(jwt), { active: false });
    assert.equal(await server.app.provider.AccessToken.find(jwt), undefined);
  });
});

describe('authorization code and refresh with a resource indicator', () => {
  async function signIn(scope: string, resource: string) {
    const { client: row, clientSecret } = await server.make.client({ requireConsent: false, redirectUris: [CALLBACK], scope: `openid email offline_access ${scope}` });
    const config = await client.discovery(new URL(server.config.issuer), row.clientId, undefined, client.ClientSecretBasic(clientSecret!), insecure);
    const browser = await server.signIn(alice.email, alice.password);
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: `openid email ${scope}`, state, resource });
    const res = await browser.get(url.href);
    assert.ok([302, 303].includes(res.status), `authorize answered ${res.status}`);
    return { config, clientId: row.clientId, callback: new URL(res.headers.get('location')!), state };
  }

  test('the code exchange naming the API gives the user a JWT for it; the refresh too', async () => {
    const rp = await signIn('api:read', API);
    const tokens = await client.authorizationCodeGrant(rp.config, rp.callback, { expectedState: rp.state }, { resource: API });
    const claims = await verifyAsApi(tokens.access_token, API);
    assert.equal(claims.sub, String(alice.id));
    assert.equal(claims.client_id, rp.clientId);
    assert.equal(claims.scope, 'api:read');
    assert.equal(tokens.claims()!.sub, String(alice.id), 'the id_token as usual');

    const refreshed = await client.refreshTokenGrant(rp.config, tokens.refresh_token!, { resource: API });
    assert.equal((await verifyAsApi(refreshed.access_token, API)).sub, String(alice.id));
    const atUserinfo = await fetch(`${server.url}/openid/userinfo`, { headers: { authorization: `Bearer ${refreshed.access_token}` } });
    assert.equal(atUserinfo.status, 401, 'an API token is not for userinfo');
  });

  test('an exchange without resource gets the opaque userinfo token, as before', async () => {
    const rp = await signIn('api:read', API);
    const tokens = await client.authorizationCodeGrant(rp.config, rp.callback, { expectedState: rp.state });
    assert.equal(isJwt(tokens.access_token), false);
    assert.equal((await client.fetchUserInfo(rp.config, tokens.access_token, String(alice.id))).email, 'alice@example.com');
  });

  test('an unknown resource at the authorize endpoint is an invalid_target error redirect', async () => {
    const rp = await signIn('api:read', 'https://elsewhere.example/');
    assert.equal(rp.callback.searchParams.get('error'), 'invalid_target');
  });
});

test('without DJAM_OIDC_RESOURCE_SERVERS a resource parameter is ignored, as it always was', async (t) => {
  const plain = await startTestServer(t);
  const { client: row, clientSecret } = await plain.make.client({ grantType: 'client_credentials', redirectUris: [] });
  const res = await fetch(`${plain.url}/openid/token`, {
    method: 'POST', headers: { authorization: basicAuth(row.clientId, clientSecret!), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: API }),
  });
  const body = await res.json() as Record<string, unknown>;
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(isJwt(body.access_token), false);
  assert.equal(body.scope, 'read write');
});

describe('DJAM_OIDC_RESOURCE_SERVERS', () => {
  const load = (value: string) => loadConfig({ DJAM_OIDC_RESOURCE_SERVERS: value, DJAM_DATA_DIR: '/nonexistent' }, '/nonexistent/.env');

  test('unset is no resource server', () => {
    assert.deepEqual(loadConfig({ DJAM_DATA_DIR: '/nonexistent' }, '/nonexistent/.env').resourceServers, {});
  });

  test('a bad value is a configuration error naming the setting', () => {
    for (const bad of ['not json', '[]', '{"api": {"scopes": "a"}}', `{"${API}": {"scopes": ""}}`, `{"${API}": {"scopes": "a", "ttl": 0}}`, `{"${API}": {"scope": "a"}}`]) {
      assert.throws(() => load(bad), (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.startsWith('DJAM_OIDC_RESOURCE_SERVERS')), bad);
    }
  });
});
