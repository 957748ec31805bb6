// docs/compatibility.md §4.6 on the proxy: with the secure-HTTP rule on, `?authkey=` authenticates only over
// HTTPS, here as a trusted TLS terminator reports it in the configured header; other credentials
// are not affected.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { basicOf, echoOf, FORBIDDEN, startProxyFixture, type ProxyFixture } from './proxy.fixture.ts';

let F: ProxyFixture;
before(async (t) => {
  F = await startProxyFixture(t, { DJAM_REQUIRE_SECURE_HTTP_FOR_GEOSERVER_INTROSPECTION: 'true', DJAM_SECURE_PROXY_HEADER: 'X-Forwarded-Proto', DJAM_TRUST_PROXY: 'loopback' });
});

test('over plain HTTP a valid resource key is refused with the proxy text', async () => {
  const res = await fetch(`${F.B}/service/up?authkey=${F.keys.AR}`);
  assert.equal(res.status, 403);
  assert.equal(await res.text(), FORBIDDEN);
});

test('when the trusted header says https, the key is accepted', async () => {
  const echo = await echoOf(await fetch(`${F.B}/service/up?authkey=${F.keys.AR}`, { headers: { 'x-forwarded-proto': 'https' } }));
  assert.equal(echo.url, '/echo');
});

test('Basic is not subject to the rule', async () => {
  assert.equal((await echoOf(await fetch(`${F.B}/service/up`, { headers: { authorization: basicOf(F.people.alice) } }))).url, '/echo');
});
