// #20 the proxy's identity JWT (X-DJAM-Identity) follows the signer: after a rotation that
// signs at once, the next proxied request carries a token of the new key (not one reused from the
// 30 s cache of the old key), verifiable with /openid/jwks, where the old key is still published.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { AdminCaller } from '../helpers/admin.fixture.ts';
import { basicOf, echoOf, startProxyFixture, type ProxyFixture } from './proxy.fixture.ts';

let F: ProxyFixture;
before(async (t) => { F = await startProxyFixture(t); });

async function identityToken(): Promise<string> {
  const echo = await echoOf(await fetch(`${F.B}/service/up`, { headers: { authorization: basicOf(F.people.alice) } }));
  return String(echo.headers['x-djam-identity']);
}

test('#20 the identity JWT the proxy sends upstream is signed by the key that signs now', async () => {
  const before = await identityToken();
  const oldKid = decodeProtectedHeader(before).kid;
  assert.equal(await identityToken(), before, 'reused while the signer stays');
  const superuser = new AdminCaller(F.server, { browser: await F.server.signIn(F.people.admin.email, F.people.admin.password) });
  await superuser.get('/session');
  const rotated = await superuser.post('/signing-keys', { activate_now: true });
  assert.equal(rotated.status, 201);
  const after = await identityToken();
  assert.equal(decodeProtectedHeader(after).kid, rotated.body.kid);
  const jwks = createLocalJWKSet(await (await fetch(`${F.B}/openid/jwks`)).json() as JSONWebKeySet);
  for (const token of [after, before]) {
    const { payload } = await jwtVerify(token, jwks, { issuer: F.server.config.issuer, typ: 'djam-identity+jwt' });
    assert.equal(payload.sub, String(F.people.alice.id));
  }
  assert.notEqual(oldKid, rotated.body.kid);
});
