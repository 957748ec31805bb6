// Behind a TLS-terminating proxy: X-Forwarded-Proto/-Host count only when the peer is one of the
// DJAM_TRUST_PROXY proxies. From anyone else they change neither cookies, nor redirects, nor the
// provider's view of the request, nor the GeoServer secure-HTTP rule.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

const FORWARDED = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'idp.example.org' };

interface Seen { csrfCookieSecure: boolean; next: string; interactionCookieSecure: boolean; keyCheck: number }

/** What a client sending FORWARDED observes, from the test's loopback peer. */
async function observe(server: TestServer): Promise<Seen> {
  const login = await fetch(`${server.url}/accounts/login/`, { headers: FORWARDED });
  const csrfCookie = login.headers.getSetCookie().find((c) => c.startsWith('XSRF-TOKEN='))!;
  const account = await fetch(`${server.url}/user/account/`, { headers: FORWARDED, redirect: 'manual' });
  const next = new URL(account.headers.get('location')!).searchParams.get('next')!;

  const user = await server.make.user();
  const { client } = await server.make.client({ redirectUris: ['http://localhost:8100/cb'] });
  const browser = await server.signIn(user.email, user.password);
  const authorize = await browser.get(`/openid/authorize?client_id=${client.clientId}&response_type=code&scope=openid&redirect_uri=http://localhost:8100/cb`, FORWARDED);
  assert.equal(authorize.status, 303);
  const interactionCookie = authorize.headers.getSetCookie().find((c) => c.startsWith('_interaction='))!;

  const { key } = await server.make.apiKey(user.id, 'resource');
  const keyCheck = await fetch(`${server.url}/openid/authkey/introspect/?authkey=${key}`, { headers: FORWARDED });
  return { csrfCookieSecure: /;\s*secure/i.test(csrfCookie), next, interactionCookieSecure: /;\s*secure/i.test(interactionCookie), keyCheck: keyCheck.status };
}

const geoRule = { DJAM_REQUIRE_SECURE_HTTP_FOR_GEOSERVER_INTROSPECTION: 'true', DJAM_SECURE_PROXY_HEADER: 'X-Forwarded-Proto' };

test('forwarded headers from a peer that is not a configured proxy change nothing', async (t) => {
  for (const env of [{}, { DJAM_TRUST_PROXY: '10.0.0.0/8, 192.0.2.7', ...geoRule }]) {
    const seen = await observe(await startTestServer(t, env));
    assert.deepEqual(seen, {
      csrfCookieSecure: false, next: '/user/account/', interactionCookieSecure: false,
      keyCheck: 'DJAM_SECURE_PROXY_HEADER' in env ? 400 : 200,
    }, JSON.stringify(env));
  }
});

test('from a configured proxy they make cookies Secure and URLs https', async (t) => {
  for (const trust of ['loopback', '127.0.0.1,10.1.2.3', 'true']) {
    const seen = await observe(await startTestServer(t, { DJAM_TRUST_PROXY: trust, ...geoRule }));
    assert.deepEqual(seen, { csrfCookieSecure: true, next: 'https://idp.example.org/user/account/', interactionCookieSecure: true, keyCheck: 200 }, trust);
  }
});

test('a proxy entry that is no address, and a secure-proxy header with no trusted proxy, fail at start', () => {
  const configOf = (env: Record<string, string>) => () => loadConfig(env, '/nonexistent/.env');
  assert.throws(configOf({ DJAM_TRUST_PROXY: '10.0.0.0/33' }), (err: unknown) => err instanceof ConfigError && /DJAM_TRUST_PROXY/.test(err.message));
  assert.throws(configOf({ DJAM_TRUST_PROXY: 'proxy.example.org' }), ConfigError);
  assert.throws(configOf({ DJAM_SECURE_PROXY_HEADER: 'X-Forwarded-Proto' }), /DJAM_SECURE_PROXY_HEADER is believed only from trusted proxies/);
  assert.doesNotThrow(configOf({ DJAM_TRUST_PROXY: 'uniquelocal, ::1, fd00::/8', DJAM_SECURE_PROXY_HEADER: 'X-Forwarded-Proto' }));
});
