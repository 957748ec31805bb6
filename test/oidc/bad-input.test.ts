// Bad input on every protocol endpoint: an OAuth error JSON (`error`, `error_description`) for
// the back-channel endpoints, an HTML error page (never a redirect to an unverified URI) for
// authorize problems before the client and redirect URI are known good, and never a 500.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { basicAuth, type Browser } from '../helpers/cookie-jar.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

const CALLBACK = 'http://localhost:8100/cb';
const EVIL = 'https://evil.example/cb';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let server: TestServer;
let B: string;
let alice: { email: string; password: string };

before(async (t) => {
  server = await startTestServer(t);
  B = server.url;
  alice = await server.make.user({ email: 'alice@example.com', password: 'alicepass' });
  await server.make.client({ clientId: 'gsclient', clientSecret: 'gssecret', requireConsent: false, scope: 'openid email token_introspection gsclient' });
  await server.make.client({ clientId: 'pubclient', clientType: 'public', requireConsent: false, scope: 'openid email' });
  await server.make.client({ clientId: 'askclient', clientSecret: 'asksecret', requireConsent: true, scope: 'openid email' });
});

async function oauthError(res: Response, status: number, error: string | string[]): Promise<{ error: string; error_description: string }> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  const body = JSON.parse(text) as { error: string; error_description: string };
  assert.ok([error].flat().includes(body.error), text);
  assert.equal(typeof body.error_description, 'string', text);
  assert.ok(body.error_description.length > 0);
  return body;
}

async function htmlError(res: Response, pattern: RegExp): Promise<void> {
  const text = await res.text();
  assert.equal(res.status, 400, text.slice(0, 200));
  assert.equal(res.headers.get('location'), null, 'no redirect');
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  assert.match(text, pattern);
}

function token(body: NonNullable<RequestInit['body']>, headers: Record<string, string> = FORM): Promise<Response> {
  return fetch(`${B}/openid/token`, { method: 'POST', body, headers });
}

function authorizeUrl(params: Record<string, string>): string {
  return `/openid/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'gsclient', redirect_uri: CALLBACK, scope: 'openid', ...params })}`;
}

/** The registered callback a redirect goes to, with its query and fragment parameters merged. */
function callbackParams(res: Response): URLSearchParams {
  assert.ok(res.status === 302 || res.status === 303, `expected a redirect, got ${res.status}`);
  const location = new URL(res.headers.get('location')!);
  assert.equal(`${location.origin}${location.pathname}`, CALLBACK);
  return new URLSearchParams(`${location.search.slice(1)}&${location.hash.slice(1)}`);
}

describe('token endpoint', () => {
  const creds = { client_id: 'gsclient', client_secret: 'gssecret' };

  test('missing grant_type is invalid_request', async () => {
    await oauthError(await token(new URLSearchParams(creds)), 400, 'invalid_request');
  });

  test('an unknown grant_type is unsupported_grant_type', async () => {
    await oauthError(await token(new URLSearchParams({ grant_type: 'urn:example:nothing', ...creds })), 400, 'unsupported_grant_type');
  });

  test('a garbage form body is invalid_request', async () => {
    await oauthError(await token('%%%&&&==\u0000\uffff%zz'), 400, 'invalid_request');
  });

  test('a binary body with another content type is invalid_request', async () => {
    await oauthError(await token(new Uint8Array([0, 1, 2, 255, 254]), { 'content-type': 'application/octet-stream' }), 400, 'invalid_request');
  });

  test('a JSON body is invalid_request (form encoding only)', async () => {
    const body = JSON.stringify({ grant_type: 'client_credentials', ...creds });
    await oauthError(await token(body, { 'content-type': 'application/json' }), 400, 'invalid_request');
  });

  test('a body over 56 KB is invalid_request, with or without the form content type', async () => {
    const huge = new URLSearchParams({ grant_type: 'authorization_code', code: 'a'.repeat(60 * 1024), redirect_uri: CALLBACK, ...creds });
    await oauthError(await token(huge), 400, 'invalid_request');
    await oauthError(await token('x'.repeat(2 * 1024 * 1024), {}), 400, 'invalid_request');
  });

  test('a missing code is invalid_request', async () => {
    await oauthError(await token(new URLSearchParams({ grant_type: 'authorization_code', redirect_uri: CALLBACK, ...creds })), 400, 'invalid_request');
  });

  test('an unknown code is invalid_grant', async () => {
    await oauthError(await token(new URLSearchParams({ grant_type: 'authorization_code', code: 'nope', redirect_uri: CALLBACK, ...creds })), 400, 'invalid_grant');
  });

  test('a garbled Basic header is invalid_request', async () => {
    const body = new URLSearchParams({ grant_type: 'authorization_code', code: 'x', redirect_uri: CALLBACK });
    for (const authorization of ['Basic !!!not-base64', `Basic ${Buffer.from('no-colon').toString('base64')}`, `Basic ${Buffer.from('%E0%A4%A:x').toString('base64')}`, 'Basic']) {
      await oauthError(await token(body, { ...FORM, authorization }), 400, 'invalid_request');
    }
  });

  test('an unknown client is invalid_client, by Basic or in the form', async () => {
    const body = { grant_type: 'authorization_code', code: 'x', redirect_uri: CALLBACK };
    const basic = await token(new URLSearchParams(body), { ...FORM, authorization: basicAuth('nobody', 'x') });
    await oauthError(basic, 401, 'invalid_client');
    await oauthError(await token(new URLSearchParams({ ...body, client_id: 'nobody', client_secret: 'x' })), 401, 'invalid_client');
  });

  test('a public client whose code_verifier does not match the challenge is invalid_grant', async () => {
    const browser = await server.signIn(alice.email, alice.password);
    const verifier = 'right-verifier-right-verifier-right-verifier-0123';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const res = await browser.get(authorizeUrl({ client_id: 'pubclient', code_challenge: challenge, code_challenge_method: 'S256', state: 's' }));
    const code = callbackParams(res).get('code')!;
    const wrong = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_id: 'pubclient', code_verifier: 'wrong-verifier-wrong-verifier-wrong-verifier-0123' });
    await oauthError(await token(wrong), 400, 'invalid_grant');
    // A failed check does not spend the code (the provider's choice; the verifier cannot be
    // guessed), so the client holding the right verifier still gets its tokens, once.
    const right = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_id: 'pubclient', code_verifier: verifier });
    assert.equal((await token(right)).status, 200);
    await oauthError(await token(right), 400, 'invalid_grant');

    const again = await browser.get(authorizeUrl({ client_id: 'pubclient', code_challenge: challenge, code_challenge_method: 'S256', state: 's' }));
    const fresh = callbackParams(again).get('code')!;
    const missing = new URLSearchParams({ grant_type: 'authorization_code', code: fresh, redirect_uri: CALLBACK, client_id: 'pubclient' });
    await oauthError(await token(missing), 400, ['invalid_request', 'invalid_grant']);
  });
});

describe('authorization endpoint', () => {
  let browser: Browser;
  before(async () => { browser = await server.signIn(alice.email, alice.password); });

  test('an unknown client_id is a 400 page, signed in or not', async () => {
    const url = authorizeUrl({ client_id: 'nobody', redirect_uri: EVIL });
    await htmlError(await browser.get(url), /client identifier \(client_id\) is missing or invalid/);
    await htmlError(await fetch(`${B}${url}`, { redirect: 'manual', headers: { accept: 'text/html' } }), /client identifier \(client_id\) is missing or invalid/);
  });

  test('a missing client_id is a 400 page', async () => {
    await htmlError(await browser.get(`/openid/authorize?response_type=code&redirect_uri=${encodeURIComponent(CALLBACK)}&scope=openid`), /client_id/);
  });

  test('an unregistered redirect_uri is a 400 page, never a redirect to it, signed in or not', async () => {
    for (const redirect of [EVIL, `${CALLBACK}/other`, `${CALLBACK}?x=1`, 'not a url']) {
      const url = authorizeUrl({ redirect_uri: redirect, state: 's' });
      await htmlError(await browser.get(url), /Redirect URI/);
      await htmlError(await fetch(`${B}${url}`, { redirect: 'manual', headers: { accept: 'text/html' } }), /Redirect URI/);
    }
  });

  test('an unsupported response_type is sent to the registered redirect URI with the state', async () => {
    for (const responseType of ['token', 'id_token token', 'nonsense']) {
      const params = callbackParams(await browser.get(authorizeUrl({ response_type: responseType, state: 'st1', nonce: 'n' })));
      assert.equal(params.get('error'), 'unsupported_response_type', responseType);
      assert.equal(params.get('state'), 'st1');
      assert.equal(params.has('code'), false);
    }
  });

  test('invalid characters in scope are invalid_scope at the registered redirect URI', async () => {
    const params = callbackParams(await browser.get(authorizeUrl({ scope: 'openid "bad\\scope', state: 'st2' })));
    assert.equal(params.get('error'), 'invalid_scope');
    assert.equal(params.get('state'), 'st2');
  });

  test('a public client without PKCE is invalid_request at the registered redirect URI', async () => {
    const params = callbackParams(await browser.get(authorizeUrl({ client_id: 'pubclient', state: 'st3' })));
    assert.equal(params.get('error'), 'invalid_request');
  });

  test('prompt=none from an anonymous visitor is login_required at the registered redirect URI', async () => {
    const res = await fetch(`${B}${authorizeUrl({ prompt: 'none', state: 'st4' })}`, { redirect: 'manual' });
    const params = callbackParams(res);
    assert.equal(params.get('error'), 'login_required');
    assert.equal(params.get('state'), 'st4');
  });
});

describe('userinfo endpoint', () => {
  test('a malformed Authorization header is invalid_request', async () => {
    for (const authorization of ['Bearer', 'Bearer a b c', 'Basic abc', 'Token abc']) {
      const res = await fetch(`${B}/openid/userinfo`, { headers: { authorization } });
      await oauthError(res, 400, 'invalid_request');
    }
  });

  test('no token at all is 401 invalid_token with a challenge', async () => {
    const res = await fetch(`${B}/openid/userinfo`);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
    await oauthError(res, 401, 'invalid_token');
  });

  test('an unknown token in the query is 401 invalid_token', async () => {
    const res = await fetch(`${B}/openid/userinfo?access_token=garbage`);
    assert.match(res.headers.get('www-authenticate') ?? '', /invalid_token/);
    await oauthError(res, 401, 'invalid_token');
  });

  test('a token both in the header and in the query is invalid_request', async () => {
    const res = await fetch(`${B}/openid/userinfo?access_token=one`, { headers: { authorization: 'Bearer two' } });
    await oauthError(res, 400, 'invalid_request');
  });
});

describe('introspection and revocation endpoints', () => {
  // docs/compatibility.md §3.5: any failure of a standard introspection is 200 {"active": false}.
  async function inactive(res: Response): Promise<void> {
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('www-authenticate'), null);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await res.json(), { active: false });
  }
  const introspect = (body: NonNullable<RequestInit['body']>, headers: Record<string, string> = FORM) => fetch(`${B}/openid/introspect`, { method: 'POST', body, headers });

  test('introspection without a token is inactive', async () => {
    await inactive(await introspect(new URLSearchParams({ client_id: 'gsclient', client_secret: 'gssecret' })));
  });

  test('introspection without client credentials, with a garbled Basic header or a JSON body is inactive', async () => {
    await inactive(await introspect(new URLSearchParams({ token: 'x' })));
    await inactive(await introspect(new URLSearchParams({ token: 'x' }), { ...FORM, authorization: 'Basic !!!' }));
    await inactive(await introspect(JSON.stringify({ token: 'x', client_id: 'gsclient', client_secret: 'gssecret' }), { 'content-type': 'application/json' }));
  });

  test('introspection with a body over 56 KB is inactive', async () => {
    await inactive(await introspect(new URLSearchParams({ token: 'x'.repeat(60 * 1024), client_id: 'gsclient', client_secret: 'gssecret' })));
  });

  test('revocation without a token is invalid_request; with a wrong secret invalid_client', async () => {
    const revoke = (form: Record<string, string>) => fetch(`${B}/openid/revoke`, { method: 'POST', body: new URLSearchParams(form), headers: FORM });
    await oauthError(await revoke({ client_id: 'gsclient', client_secret: 'gssecret' }), 400, 'invalid_request');
    await oauthError(await revoke({ token: 'x', client_id: 'gsclient', client_secret: 'wrong' }), 401, 'invalid_client');
  });
});

describe('end-session endpoint', () => {
  const garbled = ['garbage', 'a.b.c', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', '%%%'];

  test('a garbled id_token_hint is refused without a 500 and without following the redirect URI', async () => {
    const browser = await server.signIn(alice.email, alice.password);
    for (const hint of garbled) {
      const query = `id_token_hint=${encodeURIComponent(hint)}&post_logout_redirect_uri=${encodeURIComponent(EVIL)}`;
      const signedIn = await browser.get(`/openid/end-session?${query}`);
      assert.equal(signedIn.status, 400, hint);
      assert.equal(signedIn.headers.get('location'), null);
      assert.match(await signedIn.text(), /id_token_hint/);
      // A hint that decodes but names no client is invalid_client, an undecodable one invalid_request.
      await oauthError(await fetch(`${B}/openid/end-session/?${query}`, { redirect: 'manual' }), 400, ['invalid_request', 'invalid_client']);
    }
  });
});

describe('interaction pages', () => {
  test('an unknown interaction uid is a 400 page, signed in or not', async () => {
    const browser = await server.signIn(alice.email, alice.password);
    for (const res of [await browser.get('/interaction/bogus-uid'), await fetch(`${B}/interaction/bogus-uid`, { redirect: 'manual' })]) {
      assert.equal(res.status, 400);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await res.text(), /expired or was already completed/);
    }
  });

  test('confirming a consent without the CSRF token is 403, and the interaction still completes with it', async () => {
    const browser = await server.signIn(alice.email, alice.password);
    const start = await browser.get(authorizeUrl({ client_id: 'askclient', state: 'c1' }));
    const consent = await browser.follow(start);
    assert.equal(consent.res.status, 200);
    const uid = /action="\/interaction\/([^/]+)\/confirm"/.exec(await consent.res.text())![1];

    const without = await browser.post(`/interaction/${uid}/confirm`, {});
    assert.equal(without.status, 403);
    const forged = await browser.post(`/interaction/${uid}/confirm`, { csrfmiddlewaretoken: 'forged.token' });
    assert.equal(forged.status, 403);
    const anonymous = await fetch(`${B}/interaction/${uid}/confirm`, { method: 'POST', body: '', headers: FORM });
    assert.equal(anonymous.status, 403);

    const confirmed = await browser.submitForm(`/interaction/${uid}`, {}, `/interaction/${uid}/confirm`);
    const { url } = await browser.follow(confirmed);
    assert.ok(url.startsWith(`${CALLBACK}?code=`), url);
    assert.equal(new URL(url).searchParams.get('state'), 'c1');
  });

  test('a bogus uid with a valid CSRF token is the 400 page, not a 500', async () => {
    const browser = await server.signIn(alice.email, alice.password);
    const start = await browser.get(authorizeUrl({ client_id: 'askclient', state: 'c2' }));
    const { res } = await browser.follow(start);
    const uid = /action="\/interaction\/([^/]+)\/confirm"/.exec(await res.text())![1];
    const page = await browser.get(`/interaction/${uid}`);
    const csrf = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(await page.text())![1];
    const bogus = await browser.post('/interaction/bogus-uid/confirm', { csrfmiddlewaretoken: csrf });
    assert.equal(bogus.status, 400);
  });
});
