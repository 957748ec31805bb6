// docs/compatibility.md §12 item 6: failed key and credential checks are limited per client IP
// (DJAM_KEY_CHECK_RATE_LIMIT per minute), one count for the GeoServer endpoints, the key API and
// every other door (test/users/credential-throttle.test.ts); past the limit every check from that
// IP is 429 with Retry-After.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, test } from 'node:test';
import { startTestServer } from '../helpers/start-server.ts';
import { b64, call, startGeoServerFixture, type GeoServerFixture } from './geoserver.fixture.ts';

let F: GeoServerFixture;
before(async (t) => { F = await startGeoServerFixture(t, { DJAM_KEY_CHECK_RATE_LIMIT: '3' }); });

test('after the allowed failures, key, credential and token checks from the IP are throttled', async () => {
  assert.equal((await call(F.B, `/openid/authkey/introspect/?authkey=${F.keys.AR}`)).status, 200);
  assert.equal((await call(F.B, `/openid/authkey/introspect/?authkey=${randomUUID()}`)).status, 403);
  assert.equal((await call(F.B, `/openid/credentials/introspect/?u=${b64('alice@example.com')}&p=${b64('wrong')}`)).status, 401);
  const badClient = await call(F.B, '/openid/introspect/geoserver/', {
    method: 'POST', body: new URLSearchParams({ token: 'x', client_id: 'gsclient', client_secret: 'wrong' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.deepEqual(badClient.body, { active: false });

  const throttled = await call(F.B, `/openid/authkey/introspect/?authkey=${F.keys.AR}`);
  assert.equal(throttled.status, 429);
  // DRF's Throttled text, with the wait the Retry-After header gives.
  assert.deepEqual(throttled.body, { detail: `Request was throttled. Expected available in ${throttled.headers.get('retry-after')} seconds.` });
  assert.ok(Number(throttled.headers.get('retry-after')) > 0);
  assert.equal((await call(F.B, `/openid/credentials/introspect/?u=${b64('alice@example.com')}&p=${b64('alicepass')}`)).status, 429);
  assert.equal((await call(F.B, '/api/privilege/geoserver/users', { headers: { authorization: `apiKey ${F.keys.DM}` } })).status, 429);
  const tokenCheck = await call(F.B, '/openid/introspect/geoserver/', {
    method: 'POST', body: new URLSearchParams({ token: 'x', client_id: 'gsclient', client_secret: 'wrong' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(tokenCheck.status, 429, 'the token introspection, in OAuth\'s error shape');
  assert.equal((tokenCheck.body as { error: string }).error, 'slow_down');
  assert.ok(Number(tokenCheck.headers.get('retry-after')) > 0);
  // Endpoints that check no secret are not limited.
  assert.equal((await call(F.B, '/api/privilege/geoserver/roles')).status, 200);
});

test('the key API and the GeoServer endpoints count failures from an IP together', async (t) => {
  const server = await startTestServer(t, { DJAM_KEY_CHECK_RATE_LIMIT: '3' });
  const user = await server.make.user();
  const { key: resourceKey } = await server.make.apiKey(user.id, 'resource');
  const { key: managementKey } = await server.make.apiKey(user.id, 'management');
  const keyList = (token: string) => call(server.url, '/openid/api/token/key_list/', { method: 'POST', headers: { authorization: `Token ${token}` } });
  const authkey = (key: string) => call(server.url, `/openid/authkey/introspect/?authkey=${key}`);
  assert.equal((await keyList(randomUUID())).status, 401);
  assert.equal((await keyList(randomUUID())).status, 401);
  assert.equal((await authkey(randomUUID())).status, 403);
  assert.equal((await authkey(resourceKey)).status, 429, 'two failures at the key API and one here reach the limit of 3');
  assert.equal((await keyList(managementKey)).status, 429);
});
