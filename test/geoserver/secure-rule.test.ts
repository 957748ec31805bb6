// docs/compatibility.md §4.6 and scenario 6 of §13.2: with the secure-HTTP rule on, the introspection endpoints
// answer plain HTTP with 400 (after the key check), unless a configured trusted proxy header
// says the client spoke HTTPS; the role service is not concerned.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import type { TeardownContext } from '../helpers/start-server.ts';
import { b64, call, DETAIL, NO_IDENTITY, startGeoServerFixture, type GeoServerFixture } from './geoserver.fixture.ts';

const RULE_ON = { DJAM_REQUIRE_SECURE_HTTP_FOR_GEOSERVER_INTROSPECTION: 'true' };
// The file-level before()'s context: each describe's server hands its teardown to this context's
// after(), which runs once the file's tests are done (a describe's own before() has no after()).
let file: TeardownContext;
before((t) => { file = t; });

const credentialsPath = `/openid/credentials/introspect/?u=${encodeURIComponent(b64('alice@example.com'))}&p=${encodeURIComponent(b64('alicepass'))}`;
const tokenIntrospection = (F: GeoServerFixture, headers: Record<string, string> = {}) => call(F.B, '/openid/introspect/geoserver/', {
  method: 'POST', body: new URLSearchParams({ token: 'x', client_id: 'gsclient', client_secret: 'gssecret' }),
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
});

describe('secure rule on, trusted proxy header configured', () => {
  let F: GeoServerFixture;
  before(async () => { F = await startGeoServerFixture(file, { ...RULE_ON, DJAM_SECURE_PROXY_HEADER: 'X-Forwarded-Proto', DJAM_TRUST_PROXY: 'loopback' }); });

  test('6: a valid key over plain HTTP is 400 naming nobody', async () => {
    const res = await call(F.B, `/openid/authkey/introspect/?authkey=${F.keys.AR}`);
    assert.equal(res.status, 400);
    assert.equal(res.text, '{"username":null,"groups":null}');
  });

  test('the key is checked first: an invalid key is still 403', async () => {
    const res = await call(F.B, `/openid/authkey/introspect/?authkey=${randomUUID()}`);
    assert.deepEqual([res.status, res.body], [403, { detail: DETAIL.notProvided }]);
  });

  test('credential introspection is 400 over plain HTTP', async () => {
    const res = await call(F.B, credentialsPath);
    assert.deepEqual([res.status, res.body], [400, NO_IDENTITY]);
  });

  test('token introspection is 400 "HTTPS required", not cacheable', async () => {
    const res = await tokenIntrospection(F);
    assert.deepEqual([res.status, res.body], [400, { error: 'HTTPS required' }]);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('pragma'), 'no-cache');
  });

  test('the trusted header saying https lets every endpoint through', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    const key = await call(F.B, `/openid/authkey/introspect/?authkey=${F.keys.AR}`, { headers: https });
    assert.deepEqual([key.status, key.body], [200, { username: 'alice@example.com', groups: ['team1,team2'] }]);
    assert.equal((await call(F.B, credentialsPath, { headers: https })).status, 200);
    assert.deepEqual((await tokenIntrospection(F, https)).body, { active: false });
    const http = await call(F.B, `/openid/authkey/introspect/?authkey=${F.keys.AR}`, { headers: { 'x-forwarded-proto': 'http' } });
    assert.equal(http.status, 400);
  });

  test('the role service and groups API ignore the rule', async () => {
    assert.equal((await call(F.B, '/api/privilege/geoserver/roles')).status, 200);
    assert.equal((await call(F.B, '/api/privilege/geoserver/adminRole')).status, 200);
    assert.equal((await call(F.B, '/api/privilege/groups/')).status, 200);
  });
});

describe('secure rule on, no trusted proxy header', () => {
  let F: GeoServerFixture;
  before(async () => { F = await startGeoServerFixture(file, RULE_ON); });

  test('X-Forwarded-Proto is not believed unless configured (compatibility.md §4.6)', async () => {
    const res = await call(F.B, `/openid/authkey/introspect/?authkey=${F.keys.AR}`, { headers: { 'x-forwarded-proto': 'https' } });
    assert.deepEqual([res.status, res.body], [400, NO_IDENTITY]);
  });
});
