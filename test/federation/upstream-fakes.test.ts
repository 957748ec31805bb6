// #23: upstreams DJAM cannot reach in tests, played by small node:http fakes on loopback.
// - An OpenID provider that signs its id tokens with a key its JWKS does not hold: refused with a
//   clear page, never a 500 (and the same fake with the right key signs in, so the key is the cause).
// - GitHub (plain OAuth 2.0: authorize, access_token, /user, /user/emails), reached through
//   DJAM_IDP_GITHUB_URL, for the github preset; the google preset's stored fields.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { identityLinks } from '../../src/db/schema.ts';
import { findUserByEmail } from '../../src/users/index.ts';
import { createIdentityProviderAs } from '../../src/federation/index.ts';
import { AppError } from '../../src/errors.ts';
import { cliActor } from '../../src/access/index.ts';
import { AdminCaller } from '../helpers/admin.fixture.ts';
import { afterOf, startTestServer, type TeardownContext, type TestServer } from '../helpers/start-server.ts';

type Handler = (req: IncomingMessage, url: URL, body: URLSearchParams, res: ServerResponse) => void;

/** A loopback HTTP server answering with `handler`, closed by the file's teardown. */
async function fake(t: TeardownContext, handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => { raw += chunk.toString(); });
    req.on('end', () => handler(req, new URL(req.url ?? '/', 'http://fake'), new URLSearchParams(raw), res));
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  afterOf(t)(async () => { server.closeAllConnections(); server.close(); });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

const CLIENT = { id: 'djam-at-fake', secret: 'fake-secret' };
const published = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
/** The key the fake OpenID provider signs with: its published one, or one its JWKS does not hold. */
let signingKey: KeyObject = published.privateKey;

let djam: TestServer;
let oidcIssuer: string;

function idToken(claims: Record<string, unknown>): string {
  const head = `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${b64url(claims)}`;
  return `${head}.${sign('sha256', Buffer.from(head), signingKey).toString('base64url')}`;
}

/** Discovery, JWKS, an authorize endpoint that answers at once, a token endpoint with an id token. */
const fakeOidc = (issuer: () => string): Handler => {
  const nonces = new Map<string, string>();
  return (req, url, body, res) => {
    if (url.pathname === '/.well-known/openid-configuration') {
      const base = issuer();
      return json(res, 200, {
        issuer: base, authorization_endpoint: `${base}/authorize`, token_endpoint: `${base}/token`, jwks_uri: `${base}/jwks`,
        response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      });
    }
    if (url.pathname === '/jwks') return json(res, 200, { keys: [{ ...published.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] });
    if (url.pathname === '/authorize') {
      const code = `code-${nonces.size}`;
      nonces.set(code, url.searchParams.get('nonce') ?? '');
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.search = new URLSearchParams({ code, state: url.searchParams.get('state') ?? '' }).toString();
      return res.writeHead(302, { location: back.href }).end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const now = Math.floor(Date.now() / 1000);
      const nonce = nonces.get(body.get('code') ?? '');
      if (nonce === undefined) return json(res, 400, { error: 'invalid_grant' });
      return json(res, 200, {
        access_token: 'fake-access', token_type: 'Bearer', expires_in: 300,
        id_token: idToken({ iss: issuer(), aud: CLIENT.id, sub: 'fake-subject', iat: now, exp: now + 300, nonce, email: 'signed@fake.example', email_verified: true }),
      });
    }
    json(res, 404, { error: 'not_found' });
  };
};

/** GitHub's OAuth app endpoints and the two API calls DJAM makes, with PKCE and the client secret checked. */
const fakeGitHub: Handler = (req, url, body, res) => {
  if (url.pathname === '/login/oauth/authorize') {
    const back = new URL(url.searchParams.get('redirect_uri')!);
    const code = `gh.${url.searchParams.get('code_challenge')}`;
    back.search = new URLSearchParams({ code, state: url.searchParams.get('state') ?? '' }).toString();
    return res.writeHead(302, { location: back.href }).end();
  }
  if (url.pathname === '/login/oauth/access_token' && req.method === 'POST') {
    // GitHub answers refusals with 200 and an error field.
    if (body.get('client_id') !== CLIENT.id || body.get('client_secret') !== CLIENT.secret) return json(res, 200, { error: 'incorrect_client_credentials' });
    if (body.get('code') !== `gh.${s256(body.get('code_verifier') ?? '')}`) return json(res, 200, { error: 'bad_verification_code' });
    return json(res, 200, { access_token: 'gho_fake', token_type: 'bearer', scope: 'read:user,user:email' });
  }
  if (req.headers.authorization !== 'Bearer gho_fake') return json(res, 401, { message: 'Bad credentials' });
  if (url.pathname === '/user') return json(res, 200, { id: 4242, login: 'octo', name: 'Octo Cat', email: null });
  if (url.pathname === '/user/emails') {
    return json(res, 200, [{ email: 'octo-old@fake.example', primary: false, verified: true }, { email: 'octo@fake.example', primary: true, verified: true }]);
  }
  json(res, 404, { message: 'Not Found' });
};

before(async (t) => {
  oidcIssuer = await fake(t, fakeOidc(() => oidcIssuer));
  const github = await fake(t, fakeGitHub);
  djam = await startTestServer(t, { DJAM_IDP_ALLOW_HTTP: 'true', DJAM_IDP_TIMEOUT_SECONDS: '3', DJAM_IDP_GITHUB_URL: github });
  const deps = { db: djam.database.db, keys: djam.keys, config: djam.config };
  const client = { clientId: CLIENT.id, clientSecret: CLIENT.secret, trustEmail: true };
  await createIdentityProviderAs(deps, cliActor, { ...client, slug: 'fake', issuer: oidcIssuer });
  await createIdentityProviderAs(deps, cliActor, { ...client, slug: 'gh', issuer: '', preset: 'github' });
});

/** DJAM's login start, the fake's authorize (no page), DJAM's callback: the callback's answer. */
async function signInThrough(slug: string): Promise<Response> {
  const browser = djam.browser();
  const start = await browser.get(`/accounts/idp/${slug}/login/`);
  assert.equal(start.status, 302);
  const authorize = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  assert.equal(authorize.status, 302);
  return browser.get(authorize.headers.get('location')!);
}

describe('#23 upstreams played by fakes', () => {
  test('an id token signed with a key the upstream does not publish is refused with a clear page, not a 500', async () => {
    signingKey = stranger.privateKey;
    const refused = await signInThrough('fake');
    assert.equal(refused.status, 400);
    const page = await refused.text();
    assert.match(page, /Signing in through the identity provider failed/);
    assert.match(page, /href="\/accounts\/login\/">Back to the sign-in page/);
    assert.equal(await findUserByEmail({ db: djam.database.db }, 'signed@fake.example'), undefined, 'no user was made');

    // The same answer signed with the published key signs in: the signature was the reason.
    signingKey = published.privateKey;
    const accepted = await signInThrough('fake');
    assert.equal(accepted.status, 302);
    const user = await findUserByEmail({ db: djam.database.db }, 'signed@fake.example');
    assert.ok(user);
    assert.equal(accepted.headers.get('location'), `/user/account/edit/${user.id}/`);
  });

  test('the github preset: plain OAuth 2.0 with PKCE, the user from /user and /user/emails, subject = the numeric id', async () => {
    const res = await signInThrough('gh');
    assert.equal(res.status, 302, await res.clone().text());
    const octo = await findUserByEmail({ db: djam.database.db }, 'octo@fake.example');
    assert.ok(octo, 'the primary verified address made the user');
    assert.equal(res.headers.get('location'), `/user/account/edit/${octo.id}/`);
    assert.deepEqual([octo.firstName, octo.lastName], ['Octo', 'Cat']);
    const [link] = await djam.database.db.select().from(identityLinks).where(eq(identityLinks.userId, octo.id));
    assert.equal(link.subject, '4242');
    // The next sign-in finds the same user by the link.
    assert.equal((await signInThrough('gh')).headers.get('location'), `/user/account/edit/${octo.id}/`);
  });

  test('a wrong client secret at GitHub is a clear page, not a 500', async () => {
    const deps = { db: djam.database.db, keys: djam.keys, config: djam.config };
    await createIdentityProviderAs(deps, cliActor, { clientId: CLIENT.id, clientSecret: 'wrong', slug: 'gh-wrong', issuer: '', preset: 'github' });
    const res = await signInThrough('gh-wrong');
    // GitHub's 200 with `incorrect_client_credentials`: our configuration, as a wrong secret at an OpenID provider.
    assert.equal(res.status, 502);
    const page = await res.text();
    assert.match(page, /could not be reached or gave a wrong answer/);
    assert.match(page, /Back to the sign-in page/);
  });

  test('presets (service and admin API): github and google fill issuer, scope and name; another issuer with a preset, an unknown preset, neither issuer nor preset are refused', async () => {
    const deps = { db: djam.database.db, keys: djam.keys, config: djam.config };
    const google = await createIdentityProviderAs(deps, cliActor, { clientId: 'g', clientSecret: 's', slug: 'google', issuer: '', preset: 'google' });
    assert.deepEqual([google.issuer, google.scope, google.name], ['https://accounts.google.com', 'openid email profile', 'Google']);
    const github = await createIdentityProviderAs(deps, cliActor, { clientId: 'g', clientSecret: 's', slug: 'github', issuer: '', preset: 'github', name: 'Staff GitHub' });
    assert.deepEqual([github.issuer, github.scope, github.name], ['https://github.com', 'read:user user:email', 'Staff GitHub']);
    await assert.rejects(
      createIdentityProviderAs(deps, cliActor, { clientId: 'g', clientSecret: 's', slug: 'evil', issuer: 'https://evil.example', preset: 'google' }),
      (err: unknown) => err instanceof AppError && err.code === 'VALIDATION_FAILED',
    );

    // The admin API's "preset": the issuer may be left out; without issuer or preset, refused.
    const root = await djam.make.user({ isStaff: true, isSuperuser: true });
    const api = new AdminCaller(djam, { browser: await djam.signIn(root.email, root.password) });
    const created = await api.post('/identity-providers', { slug: 'gh-api', preset: 'github', client_id: 'a', client_secret: 'b' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual([created.body.issuer, created.body.scope, created.body.name], ['https://github.com', 'read:user user:email', 'GitHub']);
    assert.equal((await api.post('/identity-providers', { slug: 'bad-preset', preset: 'gitlab', client_id: 'a', client_secret: 'b' })).status, 400);
    assert.equal((await api.post('/identity-providers', { slug: 'no-issuer', client_id: 'a', client_secret: 'b' })).body.error, 'IDP_ISSUER_REFUSED');
  });
});
