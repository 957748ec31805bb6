// docs/compatibility.md §13.4, scenarios 30–39: the OpenID Connect surface as a relying party (GeoServer, allauth)
// sees it, over HTTP only. Fixture per docs/compatibility.md §13.1, reduced to what these scenarios need.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { basicAuth, type Browser } from '../helpers/cookie-jar.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

const CALLBACK = 'http://localhost:8100/cb';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Fixture {
  server: TestServer;
  B: string;
  alice: { id: number; email: string; password: string };
  carol: { id: number; email: string; password: string };
  bob: { id: number; email: string; password: string };
}

let F: Fixture;

before(async (t) => {
  // Closed by the file-level `after` above (one registered inside `before` runs at its end).
  const server = await startTestServer(t);
  const alice = await server.make.user({ email: 'alice@example.com', password: 'alicepass', firstName: 'Alice', lastName: 'Liddell' });
  const bob = await server.make.user({ email: 'bob@example.com', password: 'bobpass', firstName: 'Bob', lastName: 'Builder' });
  // Not in docs/compatibility.md §13.1: a member of team2 only, to check the intended prevention rule (§3.4).
  const carol = await server.make.user({ email: 'carol@example.com', password: 'carolpass', firstName: 'Carol', lastName: 'Two' });
  const team1 = await server.make.team('team1', [alice.id]);
  await server.make.team('team2', [alice.id, carol.id]);
  await server.make.client({
    clientId: 'gsclient', clientSecret: 'gssecret', redirectUris: [CALLBACK], requireConsent: false,
    scope: 'openid profile email user_id groups token_introspection gsclient',
  });
  const rclient = await server.make.client({ clientId: 'rclient', clientSecret: 'rsecret', redirectUris: [CALLBACK], requireConsent: false, scope: 'openid' });
  await server.make.preventLogin(rclient.client.id, [team1.id]);
  F = { server, B: server.url, alice, bob, carol };
});

function authorizeQuery(clientId: string, scope: string, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope, ...extra }).toString();
}

function postForm(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${F.B}${path}`, {
    method: 'POST', body: new URLSearchParams(form),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

/** One authorize request by a signed-in browser; asserts the single redirect to the callback. */
async function codeFor(browser: Browser, query: string, path = '/openid/authorize'): Promise<URL> {
  const res = await browser.get(`${path}?${query}`);
  assert.ok(res.status === 302 || res.status === 303, `expected a redirect, got ${res.status}`);
  const location = new URL(res.headers.get('location')!, F.B);
  assert.equal(`${location.origin}${location.pathname}`, CALLBACK, `redirected to ${location.href}`);
  assert.match(location.searchParams.get('code') ?? '', /^[\w-]+$/);
  return location;
}

function exchange(code: string, secret = 'gssecret'): Promise<Response> {
  return postForm('/openid/token', { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_id: 'gsclient', client_secret: secret });
}

interface Tokens { access_token: string; refresh_token: string; token_type: string; expires_in: number; id_token: string; session_token: string }

/** Scenario 33's flow for alice: the tokens of a fresh code. */
async function aliceTokens(): Promise<Tokens> {
  const browser = await F.server.signIn(F.alice.email, F.alice.password);
  const location = await codeFor(browser, authorizeQuery('gsclient', 'openid email user_id groups', { state: 'xyz' }));
  const res = await exchange(location.searchParams.get('code')!);
  assert.equal(res.status, 200);
  return await res.json() as Tokens;
}

describe('compatibility.md §13.4 OpenID Connect', () => {
  test('30: discovery names the issuer and every endpoint under B/openid', async () => {
    const res = await fetch(`${F.B}/openid/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const d = await res.json() as Record<string, unknown>;
    assert.equal(d.issuer, `${F.B}/openid`);
    assert.equal(d.authorization_endpoint, `${F.B}/openid/authorize`);
    assert.equal(d.token_endpoint, `${F.B}/openid/token`);
    assert.equal(d.userinfo_endpoint, `${F.B}/openid/userinfo`);
    assert.equal(d.end_session_endpoint, `${F.B}/openid/end-session`);
    assert.equal(d.introspection_endpoint, `${F.B}/openid/introspect`);
    assert.equal(d.jwks_uri, `${F.B}/openid/jwks`);
    assert.ok((d.response_types_supported as string[]).includes('code'));
    assert.ok((d.id_token_signing_alg_values_supported as string[]).includes('RS256'));
    assert.ok((d.subject_types_supported as string[]).includes('public'));
    const auth = d.token_endpoint_auth_methods_supported as string[];
    assert.ok(auth.includes('client_secret_post') && auth.includes('client_secret_basic'), String(auth));
  });

  test('31: JWKS publishes the RSA signing key', async () => {
    const res = await fetch(`${F.B}/openid/jwks`);
    assert.equal(res.status, 200);
    const { keys } = await res.json() as { keys: Array<Record<string, unknown>> };
    assert.ok(keys.length >= 1);
    const key = keys.find((k) => k.kty === 'RSA');
    assert.ok(key, 'an RSA key');
    assert.equal(key.alg, 'RS256');
    assert.equal(key.use, 'sig');
    for (const field of ['kid', 'n', 'e']) assert.equal(typeof key[field], 'string', field);
    assert.ok(!('d' in key), 'no private part');
  });

  test('32: an anonymous authorize request goes to the absolute login URL carrying the request', async () => {
    const query = authorizeQuery('gsclient', 'openid');
    const res = await fetch(`${F.B}/openid/authorize?${query}`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get('location')!);
    assert.equal(`${location.origin}${location.pathname}`, `${F.B}/accounts/login/`);
    const next = new URL(location.searchParams.get('next')!, F.B);
    assert.equal(next.pathname, '/openid/authorize');
    assert.equal(next.searchParams.get('client_id'), 'gsclient');
    assert.equal(next.searchParams.get('redirect_uri'), CALLBACK);
    assert.equal(next.searchParams.get('response_type'), 'code');
    assert.equal(next.searchParams.get('scope'), 'openid');
  });

  test('33: signed-in alice gets the code in one redirect; the code buys tokens and a session_token', async () => {
    const browser = await F.server.signIn(F.alice.email, F.alice.password);
    const location = await codeFor(browser, authorizeQuery('gsclient', 'openid email user_id groups', { state: 'xyz' }));
    assert.equal(location.searchParams.get('state'), 'xyz');
    const res = await exchange(location.searchParams.get('code')!);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const t = await res.json() as Tokens;
    assert.equal(typeof t.access_token, 'string');
    assert.equal(typeof t.refresh_token, 'string');
    assert.equal(t.token_type.toLowerCase(), 'bearer');
    assert.equal(t.expires_in, 3600);
    assert.equal(typeof t.id_token, 'string');
    assert.match(t.session_token, UUID);
  });

  test('34: the id_token verifies against the JWKS and carries the DJAM claims', async () => {
    const t = await aliceTokens();
    const jwks = createRemoteJWKSet(new URL(`${F.B}/openid/jwks`));
    const { payload, protectedHeader } = await jwtVerify(t.id_token, jwks, { issuer: `${F.B}/openid`, audience: 'gsclient' });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(typeof protectedHeader.kid, 'string');
    assert.equal(payload.iss, `${F.B}/openid`);
    assert.equal(payload.sub, String(F.alice.id));
    assert.equal(payload.aud, 'gsclient');
    assert.equal(payload.user_id, F.alice.id);
    assert.ok(Number.isInteger(payload.user_id));
    assert.equal(payload.email, 'alice@example.com');
    assert.deepEqual(payload.groups, [['team1', 'team2']]);
    assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 600);
  });

  test('35: userinfo answers the bearer with sub, email, user_id; an unknown token is 401 invalid_token', async () => {
    const t = await aliceTokens();
    const res = await fetch(`${F.B}/openid/userinfo`, { headers: { Authorization: `Bearer ${t.access_token}` } });
    assert.equal(res.status, 200);
    const info = await res.json() as Record<string, unknown>;
    assert.equal(info.sub, String(F.alice.id));
    assert.equal(info.email, 'alice@example.com');
    assert.equal(info.user_id, F.alice.id);
    assert.deepEqual(info.groups, [['team1', 'team2']]);

    // docs/compatibility.md §3.3: the token may also come as `?access_token=`.
    const byQuery = await fetch(`${F.B}/openid/userinfo?access_token=${encodeURIComponent(t.access_token)}`);
    assert.equal(byQuery.status, 200);
    assert.equal((await byQuery.json() as { sub: string }).sub, String(F.alice.id));

    const unknown = await fetch(`${F.B}/openid/userinfo`, { headers: { Authorization: 'Bearer 0123456789abcdef0123456789abcdef' } });
    assert.equal(unknown.status, 401);
    assert.match(unknown.headers.get('www-authenticate') ?? '', /invalid_token/);
  });

  test('36: introspection by gsclient says active with client_id and sub; a wrong secret says only inactive', async () => {
    const t = await aliceTokens();
    const res = await postForm('/openid/introspect', { token: t.access_token, client_id: 'gsclient', client_secret: 'gssecret' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = await res.json() as Record<string, unknown>;
    assert.equal(body.active, true);
    assert.equal(body.client_id, 'gsclient');
    assert.equal(body.sub, String(F.alice.id));

    const wrong = await postForm('/openid/introspect', { token: t.access_token, client_id: 'gsclient', client_secret: 'nope' });
    assert.equal(wrong.status, 200);
    assert.deepEqual(await wrong.json(), { active: false });
  });

  test('36: introspection with Basic credentials, and by a client without the right, follow compatibility.md §3.5', async () => {
    const t = await aliceTokens();
    const basic = await postForm('/openid/introspect', { token: t.access_token }, { Authorization: basicAuth('gsclient', 'gssecret') });
    assert.equal(basic.status, 200);
    assert.equal((await basic.json() as { active: boolean }).active, true);
    const other = await postForm('/openid/introspect', { token: t.access_token, client_id: 'rclient', client_secret: 'rsecret' });
    assert.equal(other.status, 200);
    assert.deepEqual(await other.json(), { active: false });
    const unknownClient = await postForm('/openid/introspect', { token: t.access_token, client_id: 'nobody', client_secret: 'x' });
    assert.equal(unknownClient.status, 200);
    assert.deepEqual(await unknownClient.json(), { active: false });
  });

  test('37: a reused code is invalid_grant, a wrong secret invalid_client, the password grant unsupported', async () => {
    const browser = await F.server.signIn(F.alice.email, F.alice.password);
    const code = (await codeFor(browser, authorizeQuery('gsclient', 'openid', { state: 's' }))).searchParams.get('code')!;
    assert.equal((await exchange(code)).status, 200);
    const reused = await exchange(code);
    assert.equal(reused.status, 400);
    assert.equal((await reused.json() as { error: string }).error, 'invalid_grant');

    // The reuse revoked the grant behind the code; the consent-free client still gets the next
    // code in one redirect.
    const code2 = (await codeFor(browser, authorizeQuery('gsclient', 'openid', { state: 's' }))).searchParams.get('code')!;
    const wrongSecret = await exchange(code2, 'not-the-secret');
    assert.ok(wrongSecret.status === 400 || wrongSecret.status === 401, String(wrongSecret.status));
    const wrongBody = await wrongSecret.json() as { error: string; error_description: string };
    assert.equal(wrongBody.error, 'invalid_client');
    assert.equal(typeof wrongBody.error_description, 'string');

    const password = await postForm('/openid/token', { grant_type: 'password', username: F.alice.email, password: F.alice.password, client_id: 'gsclient', client_secret: 'gssecret' });
    assert.equal(password.status, 400);
    assert.equal((await password.json() as { error: string }).error, 'unsupported_grant_type');
  });

  test('38: the stateless authorize redirects to the callback with a code and no state at all', async () => {
    const browser = await F.server.signIn(F.alice.email, F.alice.password);
    const res = await browser.get(`/openid/authorize/stateless/?${authorizeQuery('gsclient', 'openid')}`);
    assert.ok(res.status === 302 || res.status === 303, String(res.status));
    const raw = res.headers.get('location')!;
    assert.ok(raw.startsWith(`${CALLBACK}?code=`), raw);
    const location = new URL(raw);
    assert.equal(location.searchParams.has('state'), false, raw);
    assert.doesNotMatch(raw, /[?&]state=/);
  });

  test('38: the stateless authorize drops an explicitly empty state= too', async () => {
    const browser = await F.server.signIn(F.alice.email, F.alice.password);
    const res = await browser.get(`/openid/authorize/stateless/?${authorizeQuery('gsclient', 'openid', { state: '' })}`);
    const raw = res.headers.get('location')!;
    assert.ok(raw.startsWith(`${CALLBACK}?code=`), raw);
    assert.doesNotMatch(raw, /[?&]state=/);
  });

  test('33: a consent-free client asking for more scopes later still gets the code in one redirect', async () => {
    const browser = await F.server.signIn(F.alice.email, F.alice.password);
    await codeFor(browser, authorizeQuery('gsclient', 'openid', { state: 'a' }));
    const wider = await codeFor(browser, authorizeQuery('gsclient', 'openid email user_id groups', { state: 'b' }));
    const res = await exchange(wider.searchParams.get('code')!);
    assert.equal(res.status, 200);
    const info = await fetch(`${F.B}/openid/userinfo`, { headers: { Authorization: `Bearer ${(await res.json() as Tokens).access_token}` } });
    assert.equal((await info.json() as { email: string }).email, 'alice@example.com');
  });

  test('38: the stateless authorize keeps a non-empty state and sends anonymous visitors to the login page', async () => {
    const browser = await F.server.signIn(F.alice.email, F.alice.password);
    const withState = await codeFor(browser, authorizeQuery('gsclient', 'openid', { state: 'keep' }), '/openid/authorize/stateless/');
    assert.equal(withState.searchParams.get('state'), 'keep');
    const anonymous = await fetch(`${F.B}/openid/authorize/stateless/?${authorizeQuery('gsclient', 'openid')}`, { redirect: 'manual' });
    assert.equal(anonymous.status, 302);
    assert.ok(anonymous.headers.get('location')!.startsWith(`${F.B}/accounts/login/?next=`));
  });

  test('39: bob (no teams) is refused by rclient with the subscription page, not redirected', async () => {
    const browser = await F.server.signIn(F.bob.email, F.bob.password);
    const res = await browser.get(`/openid/authorize?${authorizeQuery('rclient', 'openid', { state: 'x' })}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(res.headers.get('location'), null);
    assert.match(await res.text(), /Your subscription does not allow this login\./);
  });

  test('39: alice (team1 only prevented, also in team2) and carol (team2) may log in to rclient — compatibility.md §3.4 intended rule', async () => {
    for (const user of [F.alice, F.carol]) {
      const browser = await F.server.signIn(user.email, user.password);
      const location = await codeFor(browser, authorizeQuery('rclient', 'openid', { state: 'x' }));
      const res = await postForm('/openid/token', { grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: CALLBACK }, { Authorization: basicAuth('rclient', 'rsecret') });
      assert.equal(res.status, 200, user.email);
    }
  });
});

describe('other spellings of the endpoints', () => {
  test('trailing slashes on token, userinfo, jwks and discovery', async () => {
    const disco = await fetch(`${F.B}/openid/.well-known/openid-configuration/`);
    assert.equal(disco.status, 200);
    assert.equal((await disco.json() as { issuer: string }).issuer, `${F.B}/openid`);
    const jwks = await fetch(`${F.B}/openid/jwks/`);
    assert.equal(jwks.status, 200);
    assert.ok((await jwks.json() as { keys: unknown[] }).keys.length >= 1);

    const browser = await F.server.signIn(F.alice.email, F.alice.password);
    const location = await codeFor(browser, authorizeQuery('gsclient', 'openid email', { state: 's' }), '/openid/authorize/');
    const token = await postForm('/openid/token/', { grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: CALLBACK, client_id: 'gsclient', client_secret: 'gssecret' });
    assert.equal(token.status, 200);
    const t = await token.json() as Tokens;
    const info = await fetch(`${F.B}/openid/userinfo/`, { headers: { Authorization: `Bearer ${t.access_token}` } });
    assert.equal(info.status, 200);
    assert.equal((await info.json() as { sub: string }).sub, String(F.alice.id));
  });

  test('/o/introspect/ and /o/revoke_token/ work; a revoked token is inactive', async () => {
    const t = await aliceTokens();
    const creds = { client_id: 'gsclient', client_secret: 'gssecret' };
    const active = await postForm('/o/introspect/', { token: t.access_token, ...creds });
    assert.equal(active.status, 200);
    assert.equal((await active.json() as { active: boolean }).active, true);
    const revoke = await postForm('/o/revoke_token/', { token: t.access_token, ...creds });
    assert.equal(revoke.status, 200);
    const revoked = await postForm('/o/introspect/', { token: t.access_token, ...creds });
    assert.deepEqual(await revoked.json(), { active: false });
    const info = await fetch(`${F.B}/openid/userinfo`, { headers: { Authorization: `Bearer ${t.access_token}` } });
    assert.equal(info.status, 401);
  });
});

test('compatibility.md §3.3 step 1: a signed-in user without first name, last name or username is sent to fill them in', async (t) => {
  const server = await startTestServer(t);
  const nameless = await server.make.user({ firstName: '', lastName: '' });
  const { client } = await server.make.client({ requireConsent: false, redirectUris: ['http://localhost:8100/cb'] });
  const browser = await server.signIn(nameless.email, nameless.password);
  const res = await browser.get(`/openid/authorize?response_type=code&client_id=${client.clientId}&redirect_uri=http://localhost:8100/cb&scope=openid`);
  assert.equal(res.status, 302);
  assert.ok(res.headers.get('location')!.startsWith(`/user/account/edit/${nameless.id}/?fix_error=1&next=`));
  const page = await browser.get(res.headers.get('location')!);
  assert.match(await page.text(), /User data cannot be empty! Fill the form and try again!/);
});
