// #21 the rarer security doors, each an event read back from GET /api/admin/events by a staff
// member: consent granted on the consent page, a refresh token replayed after rotation, a revoked
// API key presented again (once a minute per key, the rest counted), a login prevention refusing
// a sign-in at authorize, and an administrator ending a user's sessions. No secret in any of them.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as client from 'openid-client';
import { AdminCaller, type Json } from '../helpers/admin.fixture.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

const CALLBACK = 'http://127.0.0.1:8100/cb';
const insecure = { execute: [client.allowInsecureRequests] };
let server: TestServer;
let root: AdminCaller;
let staff: AdminCaller;

before(async (t) => {
  server = await startTestServer(t);
  const su = await server.make.user({ email: 'root@example.com', isStaff: true, isSuperuser: true });
  const st = await server.make.user({ email: 'staff@example.com', isStaff: true });
  root = new AdminCaller(server, { browser: await server.signIn(su.email, su.password) });
  staff = new AdminCaller(server, { browser: await server.signIn(st.email, st.password) });
});

const items = async (query: string) => {
  const res = await staff.get(`/events?${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items as Json[];
};
const person = (email: string) => server.make.user({ email, firstName: 'Ada', lastName: 'Byron' });
const issuer = () => new URL(`${server.url}/openid`);

test('#21 consent.granted on the consent page; token.refresh_reused when a rotated refresh token comes back', async () => {
  const ada = await person('ada@example.com');
  const { client: row, clientSecret } = await server.make.client({ clientType: 'confidential', redirectUris: [CALLBACK], requireConsent: true });
  const rp = await client.discovery(issuer(), row.clientId, undefined, client.ClientSecretBasic(clientSecret!), insecure);
  const browser = await server.signIn(ada.email, ada.password);
  const state = client.randomState();
  const consent = await browser.follow(await browser.get(client.buildAuthorizationUrl(rp, { redirect_uri: CALLBACK, scope: 'openid email', state }).href));
  const uid = /action="\/interaction\/([^/"]+)\/confirm"/.exec(await consent.res.text())?.[1];
  assert.ok(uid, 'the consent page');
  const { url: callback } = await browser.follow(await browser.submitForm(`/interaction/${uid}`, {}, `/interaction/${uid}/confirm`));
  const first = await client.authorizationCodeGrant(rp, new URL(callback), { expectedState: state });

  const [granted, ...more] = await items(`type=consent.granted&user_id=${ada.id}`);
  assert.equal(more.length, 0);
  assert.deepEqual([granted.actor.label, granted.client_id, granted.outcome, granted.ip], [ada.email, row.clientId, 'success', '127.0.0.1']);
  assert.deepEqual(granted.changes.after.scopes.sort(), ['email', 'openid']);

  assert.ok(first.refresh_token);
  const second = await client.refreshTokenGrant(rp, first.refresh_token);
  await assert.rejects(client.refreshTokenGrant(rp, first.refresh_token), (err: client.ResponseBodyError) => err.error === 'invalid_grant');
  const [reused, ...again] = await items(`type=token.refresh_reused&client_id=${row.clientId}`);
  assert.equal(again.length, 0);
  assert.deepEqual([reused.outcome, reused.actor.kind, reused.actor.id, reused.user_id, reused.client_id], ['failure', 'client', row.clientId, ada.id, row.clientId]);
  // The whole grant went: the rotated token of the legitimate holder is refused too.
  await assert.rejects(client.refreshTokenGrant(rp, second.refresh_token!), (err: client.ResponseBodyError) => err.error === 'invalid_grant');
  const text = JSON.stringify([granted, reused]);
  for (const secret of [first.refresh_token, second.refresh_token!, first.access_token, clientSecret!, new URL(callback).searchParams.get('code')!]) {
    assert.ok(!text.includes(secret), 'no token, code or secret in an event');
  }
});

test('#21 a revoked API key presented again is api_key.used_after_revocation: one event a minute per key, the rest counted; a good key writes none', async () => {
  const kim = await person('kim@example.com');
  const issued = await root.post('/api-keys', { user_id: kim.id, scope: 'resource' });
  assert.equal(issued.status, 201);
  const check = (key: string) => fetch(`${server.url}/openid/authkey/introspect/?authkey=${key}`, { headers: { accept: 'application/json' } });
  assert.equal((await check(issued.body.key)).status, 200);
  assert.equal((await items(`type=api_key.used_after_revocation&user_id=${kim.id}`)).length, 0);
  assert.equal((await root.post('/api-keys/revoke', { ids: [issued.body.id] })).status, 200);
  assert.deepEqual([(await check(issued.body.key)).status, (await check(issued.body.key)).status], [403, 403]);
  const [used, ...more] = await items(`type=api_key.used_after_revocation&user_id=${kim.id}`);
  assert.equal(more.length, 0, 'the second presentation within the minute is counted, not written');
  assert.deepEqual([used.outcome, used.actor.kind, used.actor.id, used.subject], ['failure', 'api_key', String(issued.body.id), `api_key:${issued.body.id}`]);
  assert.deepEqual(used.changes, { door: 'geoserver-authkey', key_id: issued.body.id, scope: 'resource', presentations: 1 });
  assert.ok(!JSON.stringify(used).includes(issued.body.key), 'never the key');
});

test('#21 a login prevention refusing a sign-in at authorize is user.login_failed, reason login_prevented', async () => {
  const lea = await person('lea@example.com');
  const team = await server.make.team('free-tier', [lea.id]);
  const { client: row } = await server.make.client({ clientType: 'confidential', redirectUris: [CALLBACK], requireConsent: false });
  assert.equal((await root.post('/login-preventions', { client: row.id, team_ids: [team.id] })).status, 201);
  const browser = await server.signIn(lea.email, lea.password);
  const refused = await browser.get(`/openid/authorize?client_id=${row.clientId}&redirect_uri=${encodeURIComponent(CALLBACK)}&response_type=code&scope=openid`);
  assert.equal(refused.status, 200);
  assert.match(await refused.text(), /does not allow this login/);
  const [failed] = await items(`type=user.login_failed&user_id=${lea.id}`);
  assert.deepEqual([failed.outcome, failed.client_id, failed.actor.label, failed.changes], ['failure', row.clientId, lea.email, { door: 'authorize', reason: 'login_prevented' }]);
});

test('#21 an administrator deactivating a user ends their sessions: user.sessions_ended, actor the administrator', async () => {
  const max = await person('max@example.com');
  const browser = await server.signIn(max.email, max.password);
  assert.equal((await root.post(`/users/${max.id}/deactivate`, {})).status, 200);
  assert.equal((await browser.get('/user/account/')).status, 302, 'the session is gone');
  const [ended] = await items(`type=user.sessions_ended&user_id=${max.id}`);
  assert.deepEqual([ended.actor.label, ended.subject, ended.changes], ['root@example.com', `user:${max.id}`, { door: 'admin', reason: 'deactivated' }]);
});
