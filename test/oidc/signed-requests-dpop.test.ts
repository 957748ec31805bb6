// #24 through openid-client: DPoP-bound tokens (RFC 9449) for a client registered for them, and
// their refusal without the proof; PAR (RFC 9126) and a PAR-required client's plain request
// refused; JAR (RFC 9101) request objects; JARM signed authorization responses; discovery.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { createHash, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';
import type { ProtocolSettings } from '../../src/clients/index.ts';

const CALLBACK = 'http://127.0.0.1:8100/cb';
const insecure = { execute: [client.allowInsecureRequests] };
let server: TestServer;
let alice: Awaited<ReturnType<TestServer['make']['user']>>;

before(async (t) => {
  server = await startTestServer(t);
  alice = await server.make.user({ email: 'alice@example.com', firstName: 'Alice', lastName: 'Liddell' });
});

async function rp(grantType: 'authorization_code' | 'client_credentials', protocol: ProtocolSettings = {}) {
  const { client: row, clientSecret } = await server.make.client({
    clientType: 'confidential', grantType, redirectUris: grantType === 'authorization_code' ? [CALLBACK] : [], requireConsent: false, protocol,
  });
  const config = await client.discovery(new URL(`${server.url}/openid`), row.clientId, undefined, client.ClientSecretBasic(clientSecret!), insecure);
  return { config, clientId: row.clientId };
}

async function oauthError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof client.ResponseBodyError || err instanceof client.AuthorizationResponseError) return err.error;
    if (err instanceof client.WWWAuthenticateChallengeError) return err.cause[0]?.parameters.error ?? 'challenge';
    throw err;
  }
  assert.fail('expected an OAuth error');
}

describe('sender-constrained tokens and signed requests', () => {
  test('discovery lists DPoP, PAR, JAR, JARM, device, back-channel logout and the claims parameter', async () => {
    const { config } = await rp('client_credentials');
    const meta = config.serverMetadata() as Record<string, unknown>;
    assert.ok((meta.dpop_signing_alg_values_supported as string[]).includes('ES256'));
    assert.equal(meta.pushed_authorization_request_endpoint, `${server.url}/openid/par`);
    assert.equal(meta.request_parameter_supported, true);
    assert.ok((meta.response_modes_supported as string[]).includes('jwt'));
    assert.equal(meta.backchannel_logout_supported, true);
    assert.equal(meta.backchannel_logout_session_supported, true);
    assert.equal(meta.claims_parameter_supported, true);
    assert.equal(meta.device_authorization_endpoint, `${server.url}/openid/device/auth`);
    assert.equal(meta.authorization_response_iss_parameter_supported, true);
  });

  test('DPoP: a client registered for it gets a DPoP-bound token; userinfo and introspection honour the binding', async () => {
    const { config, clientId } = await rp('client_credentials', { dpop_bound_access_tokens: true });
    // Without a proof the client is refused its token.
    const refused = await oauthError(client.clientCredentialsGrant(config, { scope: 'read' }));
    assert.ok(['invalid_request', 'invalid_grant', 'invalid_dpop_proof'].includes(refused), refused);
    const key = await client.randomDPoPKeyPair('ES256');
    const dpop = client.getDPoPHandle(config, key);
    const tokens = await client.clientCredentialsGrant(config, { scope: 'read' }, { DPoP: dpop });
    assert.equal(tokens.token_type.toLowerCase(), 'dpop');
    const info = await client.tokenIntrospection(config, tokens.access_token);
    assert.equal(info.active, true);
    assert.equal(typeof (info.cnf as { jkt?: string } | undefined)?.jkt, 'string', 'introspection names the key the token is bound to');
    assert.equal(info.client_id, clientId);
  });

  test('DPoP: a bound token presented as a plain Bearer, or with a proof of another key, is refused at userinfo', async () => {
    const { config } = await rp('authorization_code', { dpop_bound_access_tokens: true });
    const key = await client.randomDPoPKeyPair('ES256');
    const dpop = client.getDPoPHandle(config, key);
    const browser = await server.signIn(alice.email, alice.password);
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid email', state });
    const res = await browser.get(url.href);
    const tokens = await client.authorizationCodeGrant(config, new URL(res.headers.get('location')!), { expectedState: state }, undefined, { DPoP: dpop });
    assert.equal(tokens.token_type.toLowerCase(), 'dpop');
    const ok = await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub, { DPoP: dpop });
    assert.equal(ok.email, 'alice@example.com');
    const plain = await fetch(`${server.url}/openid/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(plain.status, 401, 'a DPoP-bound token without its proof is refused');
    const other = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
    assert.notEqual(await oauthError(client.fetchUserInfo(config, tokens.access_token, client.skipSubjectCheck, { DPoP: other })), undefined);
  });

  test('DPoP at DJAM\'s own doors (/resource): a bound token as a plain Bearer, with a replayed proof, or a proof for another URL or key is refused', async () => {
    const { config } = await rp('client_credentials', { dpop_bound_access_tokens: true });
    const key = await client.randomDPoPKeyPair('ES256');
    const tokens = await client.clientCredentialsGrant(config, { scope: 'read' }, { DPoP: client.getDPoPHandle(config, key) });
    const url = `${server.url}/resource`;
    const proof = (k: client.CryptoKeyPair, htu = url, htm = 'GET') => new SignJWT({ htm, htu, ath: createHash('sha256').update(tokens.access_token).digest('base64url'), jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: publicJwk }).setIssuedAt().sign(k.privateKey);
    const publicJwk = await exportJWK(key.publicKey);
    const call = (headers: Record<string, string>) => fetch(url, { headers });
    assert.equal((await call({ authorization: `Bearer ${tokens.access_token}` })).status, 401, 'a bound token as a plain Bearer');
    const good = await proof(key);
    assert.equal((await call({ authorization: `DPoP ${tokens.access_token}`, dpop: good })).status, 200);
    assert.equal((await call({ authorization: `DPoP ${tokens.access_token}`, dpop: good })).status, 401, 'a proof is single-use');
    assert.equal((await call({ authorization: `DPoP ${tokens.access_token}`, dpop: await proof(key, `${server.url}/elsewhere`) })).status, 401, 'a proof for another URL');
    assert.equal((await call({ authorization: `DPoP ${tokens.access_token}`, dpop: await proof(key, url, 'POST') })).status, 401, 'a proof for another method');
    const other = await client.randomDPoPKeyPair('ES256');
    const foreign = await new SignJWT({ htm: 'GET', htu: url, ath: createHash('sha256').update(tokens.access_token).digest('base64url'), jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(other.publicKey) }).setIssuedAt().sign(other.privateKey);
    assert.equal((await call({ authorization: `DPoP ${tokens.access_token}`, dpop: foreign })).status, 401, 'a proof of another key');
  });

  test('PAR: a pushed request works; a PAR-required client\'s plain authorization request is refused', async () => {
    const { config } = await rp('authorization_code', { require_pushed_authorization_requests: true });
    const browser = await server.signIn(alice.email, alice.password);
    const plain = await browser.get(client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', state: 's1' }).href);
    const refused = new URL(plain.headers.get('location') ?? 'http://x/').searchParams.get('error') ?? String(plain.status);
    assert.ok(['invalid_request', '400'].includes(refused), refused);
    const state = client.randomState();
    const pushed = await client.buildAuthorizationUrlWithPAR(config, { redirect_uri: CALLBACK, scope: 'openid email', state });
    assert.match(pushed.searchParams.get('request_uri') ?? '', /^urn:ietf:params:oauth:request_uri:/);
    const res = await browser.get(pushed.href);
    const tokens = await client.authorizationCodeGrant(config, new URL(res.headers.get('location')!), { expectedState: state });
    assert.equal(tokens.claims()?.email, 'alice@example.com');
  });

  test('JAR: a request object signed with the client\'s registered key; JARM: the response comes signed', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), alg: 'ES256', use: 'sig', kid: 'rp-1' };
    const { config } = await rp('authorization_code', { jwks: { keys: [jwk] } });
    const browser = await server.signIn(alice.email, alice.password);
    const state = client.randomState();
    const signed = await client.buildAuthorizationUrlWithJAR(config, { redirect_uri: CALLBACK, scope: 'openid email', state }, { key: privateKey, kid: 'rp-1' });
    assert.ok(signed.searchParams.get('request'));
    const res = await browser.get(signed.href);
    const tokens = await client.authorizationCodeGrant(config, new URL(res.headers.get('location')!), { expectedState: state });
    assert.equal(tokens.claims()?.sub, String(alice.id));

    client.useJwtResponseMode(config);
    const jarmState = client.randomState();
    const jarm = await browser.get(client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', state: jarmState, response_mode: 'jwt' }).href);
    const callback = new URL(jarm.headers.get('location')!);
    assert.ok(callback.searchParams.get('response'), 'the authorization response is one signed JWT');
    assert.equal(callback.searchParams.get('code'), null);
    const viaJarm = await client.authorizationCodeGrant(config, callback, { expectedState: jarmState });
    assert.equal(viaJarm.claims()?.sub, String(alice.id));
  });

  test('FAPI 2.0 per client: a plain request, or a pushed one without PKCE, is refused; PAR + PKCE + DPoP gets a DPoP-bound token', async () => {
    const { config } = await rp('authorization_code', { fapi2: true });
    const browser = await server.signIn(alice.email, alice.password);
    const plain = await browser.get(client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', state: 's1' }).href);
    assert.ok(plain.status === 400 || new URL(plain.headers.get('location') ?? 'http://x/').searchParams.get('error'), 'a plain request is refused');
    assert.equal(await oauthError(client.buildAuthorizationUrlWithPAR(config, { redirect_uri: CALLBACK, scope: 'openid', state: 's2' })), 'invalid_request', 'PKCE is required');
    const key = await client.randomDPoPKeyPair('ES256');
    const dpop = client.getDPoPHandle(config, key);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const pushed = await client.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: CALLBACK, scope: 'openid email', state, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    }, { DPoP: dpop });
    const res = await browser.get(pushed.href);
    const callback = new URL(res.headers.get('location')!);
    assert.equal(callback.searchParams.get('iss'), `${server.url}/openid`, 'iss in the authorization response (RFC 9207)');
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state }, undefined, { DPoP: dpop });
    assert.equal(tokens.token_type.toLowerCase(), 'dpop');
  });
});
