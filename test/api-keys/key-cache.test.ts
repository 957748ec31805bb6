// Found keys are kept in memory (api-keys/key-cache.ts); every change that matters to a key check
// must be seen by the very next check, with no waiting: key revoke, renew, rotate and delete
// (key API, admin API), the owner's deactivation and team membership. Expiry is checked on every
// hit. The proxy's `?authkey=` uses the same cache.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { startAdminFixture, type AdminFixture } from '../helpers/admin.fixture.ts';
import { startUpstream } from '../helpers/upstream.ts';
import { KEY_API } from './key-api.fixture.ts';

let F: AdminFixture;

before(async (t) => {
  F = await startAdminFixture(t);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function authkey(key: string): Promise<{ status: number; body: { username?: string | null; groups?: string[] | null } }> {
  const res = await fetch(`${F.server.url}/openid/authkey/introspect/?authkey=${key}`);
  return { status: res.status, body: await res.json() as { username?: string | null; groups?: string[] | null } };
}

/** A user with a resource key the cache holds. */
async function cachedKey(opts: { expiryDays?: number } = {}) {
  const user = await F.server.make.user();
  const made = await F.server.make.apiKey(user.id, 'resource', opts);
  await F.server.app.changes.confirm(); // earlier tests' changes, which empty the cache, have been heard
  assert.equal((await authkey(made.key)).status, 200);
  // Answered with no statement. (The job runner polls in the background: one of a few tries is clear of it.)
  let hits = 0;
  for (let i = 0; i < 3 && !hits; i++) {
    const before = F.server.database.statements();
    assert.equal((await authkey(made.key)).status, 200);
    if (F.server.database.statements() === before) hits += 1;
  }
  assert.equal(hits, 1, 'the key is answered from the cache');
  return { user, ...made };
}

async function keyApi(action: string, managementKey: string, body: Record<string, unknown>) {
  const res = await fetch(`${F.server.url}${KEY_API}${action}/`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${managementKey}` }, body: JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text) as Record<string, unknown>;
}

test('a key revoked or rotated through the key API is refused at the next check', async () => {
  const k = await cachedKey();
  const { key: management } = await F.server.make.apiKey(k.user.id, 'management');
  await keyApi('revoke', management, { resource_key: k.key, revoked: true });
  assert.equal((await authkey(k.key)).status, 403);

  const rotated = await cachedKey();
  const { key: m2 } = await F.server.make.apiKey(rotated.user.id, 'management');
  const answer = await keyApi('rotate', m2, { resource_key: rotated.key });
  assert.equal((await authkey(rotated.key)).status, 403);
  assert.equal((await authkey(String(answer.new_key))).status, 200);
});

test('a key revoked, moved into the past or deleted through the admin API is refused at the next check', async () => {
  const revoked = await cachedKey();
  assert.equal((await F.machine.patch(`/api-keys/${revoked.id}`, { revoked: true })).status, 200);
  assert.equal((await authkey(revoked.key)).status, 403);

  const expired = await cachedKey();
  assert.equal((await F.machine.patch(`/api-keys/${expired.id}`, { expiry: new Date(Date.now() - 60_000).toISOString() })).status, 200);
  assert.equal((await authkey(expired.key)).status, 403);

  const bulk = await cachedKey();
  assert.equal((await F.machine.post('/api-keys/revoke', { ids: [bulk.id] })).status, 200);
  assert.equal((await authkey(bulk.key)).status, 403);

  const deleted = await cachedKey();
  assert.equal((await F.machine.delete(`/api-keys/${deleted.id}`)).status, 204);
  assert.equal((await authkey(deleted.key)).status, 403);
});

test("the owner's deactivation and team membership show at the next check", async () => {
  const k = await cachedKey();
  assert.deepEqual((await authkey(k.key)).body.groups, ['']);
  const team = await F.machine.post('/teams', { name: `cache-${k.user.id}` });
  assert.equal(team.status, 201);
  assert.equal((await F.machine.post(`/teams/${team.body.id}/members`, { user_id: k.user.id })).status, 201);
  assert.deepEqual((await authkey(k.key)).body.groups, [`cache-${k.user.id}`]);
  assert.equal((await F.machine.patch(`/users/${k.user.id}`, { is_active: false })).status, 200);
  assert.equal((await authkey(k.key)).status, 403);
});

test('a cached key is refused once it expires, and accepted at the next check once renewed', async () => {
  const k = await cachedKey({ expiryDays: 1 / 86_400 }); // a second from now
  const { key: management } = await F.server.make.apiKey(k.user.id, 'management');
  await sleep(1100);
  assert.equal((await authkey(k.key)).status, 403);
  await keyApi('renew', management, { resource_key: k.key });
  assert.equal((await authkey(k.key)).status, 200);
});

test("the proxy's ?authkey= shares the cache: a revoked key is refused at the next request", async (t) => {
  const upstream = await startUpstream();
  t.after(() => upstream.close());
  const { make } = F.server;
  const k = await cachedKey();
  const team = await make.team(`proxy-${k.user.id}`, [k.user.id]);
  const role = await make.role(`proxy-${k.user.id}`, { teamIds: [team.id] });
  const service = await make.resource({ slug: `px${k.user.id}`, type: 'Upstream Service', url: `${upstream.origin}/echo` });
  await make.rule(service.id, role.id, true);
  const proxied = async () => (await fetch(`${F.server.url}/service/${service.slug}?authkey=${k.key}`)).status;
  assert.equal(await proxied(), 200);
  assert.equal(await proxied(), 200);
  assert.equal((await F.machine.patch(`/api-keys/${k.id}`, { revoked: true })).status, 200);
  assert.equal(await proxied(), 403);
});

test('a key answered from the cache still has its last use recorded (written every few seconds)', async () => {
  const k = await cachedKey();
  const hitAt = Date.now();
  await sleep(5);
  assert.equal((await authkey(k.key)).status, 200); // a hit: the lookups before it were earlier than hitAt
  const lastUsed = async () => Date.parse((await F.machine.get(`/api-keys/${k.id}`)).body.last_used_at ?? '0');
  for (const deadline = Date.now() + 10_000; await lastUsed() < hitAt && Date.now() < deadline;) await sleep(250);
  assert.ok(await lastUsed() >= hitAt);
});
