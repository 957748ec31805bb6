// #24 per-client protocol settings through the admin API, under their registered metadata names;
// the flat `groups` claim of new clients (the nested one kept for clients that ask for it) and the
// `roles` claim, read by openid-client.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { startAdminFixture, type AdminFixture } from '../helpers/admin.fixture.ts';
import { createRole, grantRoleToUser } from '../../src/privileges/index.ts';

const CALLBACK = 'http://127.0.0.1:8100/cb';
const insecure = { execute: [client.allowInsecureRequests] };
let F: AdminFixture;

before(async (t) => {
  F = await startAdminFixture(t);
});

const base = { client_type: 'confidential', grant_type: 'authorization_code', redirect_uris: [CALLBACK], require_consent: false, scope: 'openid groups roles' };

async function idTokenClaims(clientId: string, secret: string, scope: string) {
  const user = await F.server.make.user({ email: `u${Date.now()}@example.com`, firstName: 'U', lastName: 'Ser' });
  await F.server.make.team(`team-a-${clientId.slice(0, 6)}`, [user.id]);
  const role = await createRole({ db: F.server.database.db }, `editor-${clientId.slice(0, 6)}`);
  await grantRoleToUser({ db: F.server.database.db }, role.id, user.id);
  const config = await client.discovery(new URL(`${F.server.url}/openid`), clientId, undefined, client.ClientSecretBasic(secret), insecure);
  const browser = await F.server.signIn(user.email, user.password);
  const state = client.randomState();
  const res = await browser.get(client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope, state }).href);
  const tokens = await client.authorizationCodeGrant(config, new URL(res.headers.get('location')!), { expectedState: state });
  return { claims: tokens.claims()!, userinfo: await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub) };
}

describe('protocol settings per client (admin API)', () => {
  test('a new client carries the registered metadata it was given; the flat groups claim by default', async () => {
    const created = await F.superuser.post('/clients', {
      ...base, name: 'Settings app', backchannel_logout_uri: 'https://rp.example/bcl', backchannel_logout_session_required: true,
      dpop_bound_access_tokens: true, require_pushed_authorization_requests: true, id_token_signed_response_alg: 'RS256',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.backchannel_logout_uri, 'https://rp.example/bcl');
    assert.equal(created.body.dpop_bound_access_tokens, true);
    assert.equal(created.body.require_pushed_authorization_requests, true);
    assert.equal(created.body.groups_claim, 'flat');
    assert.equal(created.body.id_token_signed_response_alg, 'RS256');
    // PUT without the settings keeps them; null clears one.
    const kept = await F.superuser.put(`/clients/${created.body.id}`, { ...base, name: 'Settings app 2' });
    assert.equal(kept.body.dpop_bound_access_tokens, true);
    const cleared = await F.superuser.put(`/clients/${created.body.id}`, { ...base, name: 'Settings app', backchannel_logout_uri: null });
    assert.equal(cleared.status, 200);
    assert.equal(cleared.body.backchannel_logout_uri, null);
  });

  test('bad settings are refused with the field named; a device-code client needs no redirect URI', async () => {
    const bad = await F.superuser.post('/clients', { ...base, name: 'Bad', backchannel_logout_uri: 'javascript:alert(1)' });
    assert.equal(bad.status, 400);
    assert.ok(bad.body.details.fields.backchannel_logout_uri);
    const both = await F.superuser.post('/clients', { ...base, name: 'Bad', jwks: { keys: [] }, jwks_uri: 'https://rp.example/jwks' });
    assert.equal(both.status, 400);
    const device = await F.superuser.post('/clients', { name: 'TV app', client_type: 'public', grant_type: 'device_code' });
    assert.equal(device.status, 201, JSON.stringify(device.body));
    assert.ok(device.body.grant_types.includes('urn:ietf:params:oauth:grant-type:device_code'));
  });

  test('groups: flat for a new client, nested when asked; roles lists the user\'s role names', async () => {
    const flat = await F.superuser.post('/clients', { ...base, name: 'Flat' });
    const { claims, userinfo } = await idTokenClaims(flat.body.client_id, flat.body.client_secret, 'openid groups roles');
    assert.ok(Array.isArray(claims.groups) && typeof (claims.groups as unknown[])[0] === 'string', JSON.stringify(claims.groups));
    assert.deepEqual(userinfo.groups, claims.groups);
    assert.ok((claims.roles as string[]).some((r) => r.startsWith('editor-')));
    const nested = await F.superuser.post('/clients', { ...base, name: 'Nested', groups_claim: 'nested' });
    const old = await idTokenClaims(nested.body.client_id, nested.body.client_secret, 'openid groups');
    assert.ok(Array.isArray((old.claims.groups as unknown[])[0]), JSON.stringify(old.claims.groups));
  });
});
