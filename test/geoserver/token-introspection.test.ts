// docs/compatibility.md §4.4: POST /openid/introspect/geoserver/ with the success shape the original meant to
// send, the docs/compatibility.md §3.5 rules (client credentials, `token_introspection` and audience scopes), and
// `{"active": false}` for every failure. Fixture "F" (docs/compatibility.md §13.1) plus two introspecting clients.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { basic, call, CALLBACK, DETAIL, startGeoServerFixture, type GeoServerFixture } from './geoserver.fixture.ts';

const URL_PATH = '/openid/introspect/geoserver/';
let F: GeoServerFixture;
before(async (t) => {
  F = await startGeoServerFixture(t);
  // Not in docs/compatibility.md §13.1: one client lacking the audience scope, one holding it.
  await F.server.make.client({ clientId: 'auditor', clientSecret: 'auditsecret', scope: 'openid token_introspection' });
  await F.server.make.client({ clientId: 'watcher', clientSecret: 'watchsecret', scope: 'openid token_introspection gsclient' });
});

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => call(F.B, URL_PATH, {
  method: 'POST', body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
});

/** Alice's tokens from the code flow of scenario 33 with the given scope. */
async function aliceTokens(scope: string): Promise<{ access_token: string; session_token: string }> {
  const browser = await F.server.signIn(F.people.alice.email, F.people.alice.password);
  const query = new URLSearchParams({ response_type: 'code', client_id: 'gsclient', redirect_uri: CALLBACK, scope });
  const res = await browser.get(`/openid/authorize?${query}`);
  const code = new URL(res.headers.get('location') ?? '', F.B).searchParams.get('code');
  assert.ok(code, `no code in ${res.status} ${res.headers.get('location')}`);
  const post = await fetch(`${F.B}/openid/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_id: 'gsclient', client_secret: 'gssecret' }),
  });
  assert.equal(post.status, 200);
  return await post.json() as { access_token: string; session_token: string };
}

describe('compatibility.md §4.4 GeoServer token introspection', () => {
  let tokens: { access_token: string; session_token: string };
  before(async () => { tokens = await aliceTokens('openid email user_id groups'); });

  test('a valid token, client by Basic: the intended success body, not cacheable', async () => {
    const res = await form({ token: tokens.access_token }, { authorization: basic({ email: 'gsclient', password: 'gssecret' }) });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      client_id: 'gsclient', username: 'alice@example.com', issued_to: 'alice@example.com', email: 'alice@example.com',
      access_token: tokens.access_token, access_type: 'online', active: true,
    });
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('pragma'), 'no-cache');
  });

  test('client credentials in the form work as well', async () => {
    const res = await form({ token: tokens.access_token, client_id: 'gsclient', client_secret: 'gssecret' });
    assert.equal((res.body as { active: boolean }).active, true);
  });

  test('another client may introspect when its scopes name the issuing client', async () => {
    const res = await form({ token: tokens.access_token, client_id: 'watcher', client_secret: 'watchsecret' });
    assert.equal((res.body as { client_id: string }).client_id, 'watcher');
    assert.equal((res.body as { active: boolean }).active, true);
  });

  test('every failure is 200 {"active": false} with the no-cache headers', async () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['wrong secret', { token: tokens.access_token, client_id: 'gsclient', client_secret: 'wrong' }],
      ['no secret', { token: tokens.access_token, client_id: 'gsclient' }],
      ['no client', { token: tokens.access_token }],
      ['unknown client', { token: tokens.access_token, client_id: 'nobody', client_secret: 'gssecret' }],
      ['no token_introspection scope', { token: tokens.access_token, client_id: 'rclient', client_secret: 'rsecret' }],
      ['no audience scope', { token: tokens.access_token, client_id: 'auditor', client_secret: 'auditsecret' }],
      ['unknown token', { token: 'x'.repeat(43), client_id: 'gsclient', client_secret: 'gssecret' }],
      ['session token', { token: tokens.session_token, client_id: 'gsclient', client_secret: 'gssecret' }],
      ['no token', { client_id: 'gsclient', client_secret: 'gssecret' }],
      ['huge token', { token: 'y'.repeat(20_000), client_id: 'gsclient', client_secret: 'gssecret' }],
    ];
    for (const [name, fields] of cases) {
      const res = await form(fields);
      assert.deepEqual([res.status, res.body], [200, { active: false }], name);
      assert.equal(res.headers.get('cache-control'), 'no-store', name);
      assert.equal(res.headers.get('pragma'), 'no-cache', name);
    }
  });

  test('a token without the email scope has no e-mail to report', async () => {
    const plain = await aliceTokens('openid');
    const res = await form({ token: plain.access_token, client_id: 'gsclient', client_secret: 'gssecret' });
    assert.equal((res.body as { active: boolean }).active, true);
    assert.equal((res.body as { email: unknown }).email, null);
    assert.equal((res.body as { username: string }).username, 'alice@example.com');
  });

  test('a revoked token is inactive', async () => {
    const doomed = await aliceTokens('openid email');
    const revoke = await fetch(`${F.B}/openid/revoke`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: doomed.access_token, client_id: 'gsclient', client_secret: 'gssecret' }),
    });
    assert.equal(revoke.status, 200);
    assert.deepEqual((await form({ token: doomed.access_token, client_id: 'gsclient', client_secret: 'gssecret' })).body, { active: false });
  });

  test('non-form bodies are ignored, not refused', async () => {
    const json = await call(F.B, URL_PATH, {
      method: 'POST', body: JSON.stringify({ token: tokens.access_token, client_id: 'gsclient', client_secret: 'gssecret' }),
      headers: { 'content-type': 'application/json' },
    });
    assert.deepEqual([json.status, json.body], [200, { active: false }]);
    const junk = await call(F.B, URL_PATH, { method: 'POST', body: '\u0000{<', headers: { 'content-type': 'application/xml' } });
    assert.deepEqual([junk.status, junk.body], [200, { active: false }]);
  });

  test('GET is 405 with an empty body', async () => {
    const res = await call(F.B, URL_PATH);
    assert.equal(res.status, 405);
    assert.equal(res.text, '');
  });

  test("alice's session token is no AuthKey (docs/compatibility.md §4.1: only resource keys pass)", async () => {
    const res = await call(F.B, `/openid/authkey/introspect/?authkey=${tokens.session_token}`);
    assert.deepEqual([res.status, res.body], [403, { detail: DETAIL.notProvided }]);
  });
});
