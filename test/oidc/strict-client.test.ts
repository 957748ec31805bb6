// What a strict OAuth client checks in DJAM's protocol answers (issue 18, sections 2 and 5):
// exact error codes with descriptions, no-store caching, and the original's token_type.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

let server: TestServer;
before(async (t) => { server = await startTestServer(t); });

interface App { clientId: string; auth: string }

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

async function app(grantType: 'authorization_code' | 'client_credentials', scope = 'openid email'): Promise<App> {
  const { client: row, clientSecret } = await server.make.client({ clientType: 'confidential', grantType, scope });
  return { clientId: row.clientId, auth: basic(row.clientId, clientSecret!) };
}

async function post(path: string, auth: string, form: Record<string, string>): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) as Record<string, unknown> : {} };
}

async function serviceToken(svc: App): Promise<Record<string, unknown>> {
  const answer = await post('/openid/token', svc.auth, { grant_type: 'client_credentials', scope: 'email' });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body;
}

describe('#18 protocol answers a strict client accepts', () => {
  test('#18 a grant type the client may not use is unauthorized_client', async () => {
    const web = await app('authorization_code');
    const answer = await post('/openid/token', web.auth, { grant_type: 'client_credentials' });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, 'unauthorized_client');
    assert.ok(answer.body.error_description);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
  });

  test('#18 token_type is exactly bearer at /openid/token, as the original answered', async () => {
    const svc = await app('client_credentials');
    assert.equal((await serviceToken(svc)).token_type, 'bearer');
    assert.equal((await post('/o/token/', svc.auth, { grant_type: 'client_credentials', scope: 'email' })).body.token_type, 'Bearer', 'the tutorial surface keeps Bearer');
  });

  test('#18 RFC 8414 metadata beside the OIDC discovery document', async () => {
    const res = await fetch(`${server.url}/.well-known/oauth-authorization-server/openid`);
    assert.equal(res.status, 200);
    const metadata = await res.json() as Record<string, unknown>;
    assert.equal(metadata.issuer, `${server.url}/openid`);
    assert.equal(metadata.token_endpoint, `${server.url}/openid/token`);
  });

  test('#18 introspection of an access token says bearer and names the client as aud', async () => {
    const svc = await app('client_credentials');
    const token = await serviceToken(svc);
    const introspector = await app('client_credentials', `token_introspection ${svc.clientId}`);
    const answer = await post('/openid/introspect', introspector.auth, { token: String(token.access_token) });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.active, true, JSON.stringify(answer.body));
    assert.equal(answer.body.token_type, 'bearer');
    assert.equal(answer.body.aud, svc.clientId);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
  });

  test('#18 revoking another client\'s token is unauthorized_client and leaves the token active', async () => {
    const svc = await app('client_credentials');
    const other = await app('client_credentials');
    const token = String((await serviceToken(svc)).access_token);
    const refused = await post('/openid/revoke', other.auth, { token });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, 'unauthorized_client');
    assert.ok(refused.body.error_description);
    assert.equal(refused.headers.get('cache-control'), 'no-store');
    const own = await post('/openid/revoke', svc.auth, { token });
    assert.equal(own.status, 200);
    assert.equal(own.headers.get('cache-control'), 'no-store');
  });

  test('#18 invalid_client with Basic credentials is 401 with WWW-Authenticate', async () => {
    const svc = await app('client_credentials');
    const answer = await post('/openid/token', basic(svc.clientId, 'wrong'), { grant_type: 'client_credentials' });
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error, 'invalid_client');
    assert.ok(answer.body.error_description);
    assert.match(answer.headers.get('www-authenticate') ?? '', /^Basic /);
  });
});

describe('#18 scopes a client may not have', () => {
  const CALLBACK = 'http://localhost:8100/cb';

  async function authorize(path: string, clientId: string, scope?: string): Promise<URLSearchParams> {
    const user = await server.make.user({ firstName: 'Ada', lastName: 'Lovelace' });
    const browser = await server.signIn(user.email, user.password);
    const query = new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, state: 's1', ...(scope ? { scope } : {}) });
    let res = await browser.get(`${path}?${query}`);
    for (let hops = 0; hops < 5 && [302, 303].includes(res.status) && !res.headers.get('location')!.startsWith(CALLBACK); hops++) res = await browser.get(res.headers.get('location')!);
    const location = res.headers.get('location') ?? '';
    assert.ok(location.startsWith(CALLBACK), `ended at ${res.status} ${location}`);
    return new URL(location).searchParams;
  }

  test('#18 /openid/authorize refuses a scope the client may not have with invalid_scope naming it', async () => {
    const web = await app('authorization_code', 'openid email');
    const answer = await authorize('/openid/authorize', web.clientId, 'openid is_admin');
    assert.equal(answer.get('error'), 'invalid_scope');
    assert.match(answer.get('error_description') ?? '', /is_admin/);
    assert.equal(answer.get('state'), 's1');
  });

  test('#18 /o/authorize/ without scope, for a client that may use none of the defaults, is invalid_scope naming one', async () => {
    const web = await app('authorization_code', 'openid email');
    const answer = await authorize('/o/authorize/', web.clientId);
    assert.equal(answer.get('error'), 'invalid_scope');
    assert.match(answer.get('error_description') ?? '', /\b(read|write)\b/);
  });

  test('#18 a client-credentials request whose scopes are all unknown is invalid_scope, not a scope-less token', async () => {
    const svc = await app('client_credentials');
    const answer = await post('/openid/token', svc.auth, { grant_type: 'client_credentials', scope: 'nonsense foo' });
    assert.equal(answer.status, 400, JSON.stringify(answer.body));
    assert.equal(answer.body.error, 'invalid_scope');
    assert.match(String(answer.body.error_description), /nonsense/);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
  });

  test('#18 a token request for a known scope the client lacks names it', async () => {
    const svc = await app('client_credentials');
    const answer = await post('/openid/token', svc.auth, { grant_type: 'client_credentials', scope: 'email is_staff' });
    assert.equal(answer.body.error, 'invalid_scope');
    assert.match(String(answer.body.error_description), /is_staff/);
  });
});

describe('#18 every error is described', () => {
  test('#18 an authorization error the provider raises (an unreadable request object, #24) carries error_description', async () => {
    const web = await app('authorization_code', 'openid email');
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const query = new URLSearchParams({ client_id: web.clientId, response_type: 'code', redirect_uri: 'http://localhost:8100/cb', scope: 'openid', request: 'abc', state: 's2' });
    const res = await browser.get(`/openid/authorize?${query}`);
    const answer = new URL(res.headers.get('location')!).searchParams;
    assert.equal(answer.get('error'), 'invalid_request_object');
    assert.ok(answer.get('error_description'));
    assert.equal(answer.get('state'), 's2');
  });
});
