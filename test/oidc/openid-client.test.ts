// DJAM as seen by a real relying party: openid-client v6 discovers the provider, runs the
// authorization-code flow (PKCE for public clients), validates id_tokens, reads userinfo,
// refreshes, introspects, revokes and logs out. Only what a client observes is asserted.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as client from 'openid-client';
import type { Browser } from '../helpers/cookie-jar.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

const CALLBACK = 'http://127.0.0.1:8100/cb';
const AFTER_LOGOUT = 'http://127.0.0.1:8100/signed-out';
const insecure = { execute: [client.allowInsecureRequests] };

type Tokens = Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
interface Rp { config: client.Configuration; clientId: string }

let server: TestServer;
let alice: Awaited<ReturnType<TestServer['make']['user']>>;

// One server for the file: the context of a file-level before() is the root test's, whose
// after() runs once every test of the file is done (node:test's after() called inside before()
// would run as soon as before() ends).

before(async (t) => {
  server = await startTestServer(t);
  alice = await server.make.user({ email: 'alice@example.com', firstName: 'Alice', lastName: 'Liddell' });
  await server.make.team('team1', [alice.id]);
  await server.make.team('team2', [alice.id]);
});

function issuerUrl(): URL {
  return new URL(`${server.url}/openid`);
}

async function publicRp(): Promise<Rp> {
  const { client: row } = await server.make.client({ clientType: 'public', redirectUris: [CALLBACK], requireConsent: true });
  return { clientId: row.clientId, config: await client.discovery(issuerUrl(), row.clientId, undefined, client.None(), insecure) };
}

async function confidentialRp(input: { scope?: string; postLogoutRedirectUris?: string[] } = {}): Promise<Rp & { secret: string }> {
  const { client: row, clientSecret } = await server.make.client({ clientType: 'confidential', redirectUris: [CALLBACK], requireConsent: false, ...input });
  const config = await client.discovery(issuerUrl(), row.clientId, undefined, client.ClientSecretBasic(clientSecret!), insecure);
  return { clientId: row.clientId, secret: clientSecret!, config };
}

/** The consent-free flow: one redirect from the authorize endpoint to the callback, then the code exchange. */
async function signInWithoutConsent(rp: Rp, browser: Browser, scope: string): Promise<Tokens> {
  const state = client.randomState();
  const nonce = client.randomNonce();
  const res = await browser.get(client.buildAuthorizationUrl(rp.config, { redirect_uri: CALLBACK, scope, state, nonce }).href);
  assert.ok([302, 303].includes(res.status), `authorize answered ${res.status}`);
  const callback = new URL(res.headers.get('location')!);
  assert.equal(callback.origin + callback.pathname, CALLBACK);
  assert.equal(callback.searchParams.get('state'), state);
  assert.ok(callback.searchParams.get('code'));
  return client.authorizationCodeGrant(rp.config, callback, { expectedState: state, expectedNonce: nonce, idTokenExpected: true });
}

async function rejection(promise: Promise<unknown>): Promise<client.ResponseBodyError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof client.ResponseBodyError, `expected an OAuth error response, got ${String(err)}`);
    return err;
  }
  assert.fail('the request was expected to fail');
}

describe('openid-client against DJAM', () => {
  test('discovery at /openid names DJAM endpoints under the issuer', async () => {
    const { config } = await publicRp();
    const meta = config.serverMetadata();
    const base = `${server.url}/openid`;
    assert.equal(meta.issuer, base);
    assert.equal(meta.authorization_endpoint, `${base}/authorize`);
    assert.equal(meta.token_endpoint, `${base}/token`);
    assert.equal(meta.userinfo_endpoint, `${base}/userinfo`);
    assert.equal(meta.end_session_endpoint, `${base}/end-session`);
    assert.equal(meta.introspection_endpoint, `${base}/introspect`);
    assert.equal(meta.jwks_uri, `${base}/jwks`);
    assert.ok(meta.response_types_supported?.includes('code'));
    assert.ok(meta.code_challenge_methods_supported?.includes('S256'));
  });

  test('public client: code + PKCE (S256) through the consent page; the id_token carries DJAM claims', async () => {
    const rp = await publicRp();
    const browser = await server.signIn(alice.email, alice.password);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(rp.config, {
      redirect_uri: CALLBACK, scope: 'openid email user_id groups', state, nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });

    const consent = await browser.follow(await browser.get(url.href));
    assert.equal(consent.res.status, 200);
    const uid = /action="\/interaction\/([^/"]+)\/confirm"/.exec(await consent.res.text())?.[1];
    assert.ok(uid, 'the consent page posts to /interaction/<uid>/confirm');
    const { url: callback } = await browser.follow(await browser.submitForm(`/interaction/${uid}`, {}, `/interaction/${uid}/confirm`));
    assert.ok(callback.startsWith(`${CALLBACK}?`), callback);

    const tokens = await client.authorizationCodeGrant(rp.config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    assert.equal(typeof tokens.access_token, 'string');
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    const claims = tokens.claims()!;
    assert.equal(claims.iss, `${server.url}/openid`);
    assert.equal(claims.aud, rp.clientId);
    assert.equal(claims.sub, String(alice.id));
    assert.equal(claims.user_id, alice.id);
    assert.equal(claims.email, 'alice@example.com');
    assert.deepEqual(claims.groups, [['team1', 'team2']]);

    const replayed = await rejection(client.authorizationCodeGrant(rp.config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }));
    assert.equal(replayed.error, 'invalid_grant', 'a code is single-use');
  });

  test('public client without PKCE is refused with an invalid_request error redirect', async () => {
    const rp = await publicRp();
    const browser = await server.signIn(alice.email, alice.password);
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(rp.config, { redirect_uri: CALLBACK, scope: 'openid', state });
    const res = await browser.get(url.href);
    assert.ok([302, 303].includes(res.status), `authorize answered ${res.status}`);
    const landed = new URL(res.headers.get('location')!);
    assert.equal(landed.origin + landed.pathname, CALLBACK);
    assert.equal(landed.searchParams.get('code'), null);
    // The relying party reads the error redirect as an OAuth error response with its own state.
    try {
      await client.authorizationCodeGrant(rp.config, landed, { expectedState: state });
      assert.fail('no code may be issued without PKCE');
    } catch (err) {
      assert.ok(err instanceof client.AuthorizationResponseError, String(err));
      assert.equal(err.error, 'invalid_request');
      assert.match(err.error_description ?? '', /PKCE/);
    }
  });

  test('confidential client without consent: the code comes in one redirect, state echoed; userinfo has the claims', async () => {
    const rp = await confidentialRp();
    const browser = await server.signIn(alice.email, alice.password);
    const tokens = await signInWithoutConsent(rp, browser, 'openid profile email user_id');
    assert.equal(tokens.claims()!.sub, String(alice.id));

    const info = await client.fetchUserInfo(rp.config, tokens.access_token, String(alice.id));
    assert.equal(info.sub, String(alice.id));
    assert.equal(info.email, 'alice@example.com');
    assert.equal(info.user_id, alice.id);
    assert.equal(info.given_name, 'Alice');
    assert.equal(info.family_name, 'Liddell');
    assert.equal(info.groups, undefined, 'no groups claim without the groups scope');
  });

  test('refresh tokens rotate: the new one works, the old one is invalid_grant', async () => {
    const rp = await confidentialRp();
    const browser = await server.signIn(alice.email, alice.password);
    const first = await signInWithoutConsent(rp, browser, 'openid email');
    assert.ok(first.refresh_token, 'a refresh token is issued to a client allowed the refresh grant');

    const second = await client.refreshTokenGrant(rp.config, first.refresh_token);
    assert.ok(second.refresh_token);
    assert.notEqual(second.refresh_token, first.refresh_token);
    assert.notEqual(second.access_token, first.access_token);
    assert.equal((await client.fetchUserInfo(rp.config, second.access_token, String(alice.id))).email, 'alice@example.com');

    const reused = await rejection(client.refreshTokenGrant(rp.config, first.refresh_token));
    assert.equal(reused.error, 'invalid_grant');
    assert.equal(reused.status, 400);
  });

  test('introspection follows the token_introspection + audience rule', async () => {
    const rp = await confidentialRp();
    const browser = await server.signIn(alice.email, alice.password);
    const tokens = await signInWithoutConsent(rp, browser, 'openid email');

    const own = await client.tokenIntrospection(rp.config, tokens.access_token);
    assert.equal(own.active, true);
    assert.equal(own.client_id, rp.clientId);
    assert.equal(own.sub, String(alice.id));

    const noRight = await confidentialRp({ scope: `openid email ${rp.clientId}` });
    assert.deepEqual(await client.tokenIntrospection(noRight.config, tokens.access_token), { active: false });
    const otherAudience = await confidentialRp({ scope: 'openid email token_introspection' });
    assert.deepEqual(await client.tokenIntrospection(otherAudience.config, tokens.access_token), { active: false });

    // docs/compatibility.md §3.5 keeps the original's answer to bad client credentials: a plain inactive result
    // (RFC 7662 §2.3 would have 401 invalid_client); what matters is that nothing leaks.
    const wrongSecret = await client.discovery(issuerUrl(), rp.clientId, undefined, client.ClientSecretBasic(`${rp.secret}x`), insecure);
    assert.deepEqual(await client.tokenIntrospection(wrongSecret, tokens.access_token), { active: false });
    const unknown = await client.discovery(issuerUrl(), 'no-such-client', undefined, client.ClientSecretBasic('x'), insecure);
    assert.deepEqual(await client.tokenIntrospection(unknown, tokens.access_token), { active: false });
  });

  test('revocation: the access token becomes inactive and /resource answers 401', async () => {
    const rp = await confidentialRp();
    const browser = await server.signIn(alice.email, alice.password);
    const tokens = await signInWithoutConsent(rp, browser, 'openid email');
    const resource = () => fetch(`${server.url}/resource`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    assert.equal((await resource()).status, 200);

    await client.tokenRevocation(rp.config, tokens.access_token);
    assert.deepEqual(await client.tokenIntrospection(rp.config, tokens.access_token), { active: false });
    const afterRevoke = await resource();
    assert.equal(afterRevoke.status, 401);
    assert.match(afterRevoke.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });

  test('RP-initiated logout: confirmation form, post-logout redirect, DJAM session gone', async () => {
    const rp = await confidentialRp({ postLogoutRedirectUris: [AFTER_LOGOUT] });
    const browser = await server.signIn(alice.email, alice.password);
    const sessionCookie = browser.cookie('djam_sessionid');
    assert.ok(sessionCookie);
    const tokens = await signInWithoutConsent(rp, browser, 'openid email');
    const state = client.randomState();
    const endSession = client.buildEndSessionUrl(rp.config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: AFTER_LOGOUT, state });
    assert.equal(endSession.origin + endSession.pathname, `${server.url}/openid/end-session`);

    const confirm = await browser.get(endSession.href);
    assert.equal(confirm.status, 200);
    const page = await confirm.text();
    const form = /<form[^>]*id="op\.logoutForm"[^>]*>[\s\S]*?<\/form>/.exec(page)?.[0];
    assert.ok(form, 'the page holds the logout form');
    const action = /action="([^"]+)"/.exec(form)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1];
    assert.ok(action && xsrf, 'the form has an action and a hidden xsrf input');

    const done = await browser.post(new URL(action, endSession).href, { xsrf, logout: 'yes' });
    assert.ok([302, 303].includes(done.status), `logout answered ${done.status}`);
    const landed = new URL(done.headers.get('location')!);
    assert.equal(landed.origin + landed.pathname, AFTER_LOGOUT);
    assert.equal(landed.searchParams.get('state'), state);

    const account = await browser.get('/user/account/');
    assert.equal(account.status, 302);
    assert.match(account.headers.get('location') ?? '', /\/accounts\/login\//);
    // The old cookie no longer opens a session either: it was ended on the server, not just cleared.
    const replay = await fetch(`${server.url}/user/account/`, { headers: { cookie: `djam_sessionid=${sessionCookie}` }, redirect: 'manual' });
    assert.equal(replay.status, 302);
    assert.match(replay.headers.get('location') ?? '', /\/accounts\/login\//);
  });
});
