// #17 redesign: the key API (a management key) and the account page (a signed-in user) change keys
// through the policy and the audit log, as the admin API does: each change has its entry, naming
// the actor the door built, and no key value anywhere in it.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { AdminCaller, type Json } from '../helpers/admin.fixture.ts';
import { DETAIL, startKeyApiFixture, type KeyApiFixture } from '../api-keys/key-api.fixture.ts';

let F: KeyApiFixture;
let auditor: AdminCaller;
before(async (t) => {
  F = await startKeyApiFixture(t, { DJAM_SHOW_API_KEYS_IN_DASHBOARD: 'true' });
  auditor = new AdminCaller(F.server, { browser: await F.server.signIn('admin@example.com', 'adminpass') });
});

async function entriesOf(action: string, keyId: number): Promise<Json[]> {
  const res = await auditor.get(`/audit-log?action=${action}&entity_type=api-key&entity_id=${keyId}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items as Json[];
}

function assertNoKeyValue(entry: Json, ...values: string[]): void {
  const text = JSON.stringify(entry);
  for (const value of values) assert.ok(!text.includes(value), `the entry holds a key value: ${text}`);
  assert.ok(!/"key"\s*:/.test(text), `the entry has a key field: ${text}`);
}

test('the key API: a superuser\'s management key creating, renewing, revoking and rotating bob\'s keys is audited', async () => {
  const created = await F.post('create_key', F.keys.DM, { account_id: F.ids.bob });
  assert.equal(created.status, 200, created.text);
  assert.equal(created.body.username, 'bob@example.com');
  const id = created.body.id as number;
  const token = created.body.token as string;

  const [entry, ...more] = await entriesOf('api-key.create', id);
  assert.equal(more.length, 0);
  assert.equal(entry.actor_type, 'api-key');
  assert.equal(entry.actor_id, String(F.keyIds.DM));
  assert.equal(entry.actor_label, 'admin@example.com');
  assert.equal(entry.after.userId, F.ids.bob);
  assert.equal(entry.after.scope, 'resource');
  assertNoKeyValue(entry, token, F.keys.DM);

  const renewed = await F.post('renew', F.keys.DM, { resource_key: token, account_id: F.ids.bob });
  assert.equal(renewed.status, 200, renewed.text);
  const revoked = await F.post('revoke', F.keys.DM, { resource_key: token, account_id: F.ids.bob, revoked: 'True' });
  assert.equal(revoked.status, 200, revoked.text);
  const updates = await entriesOf('api-key.update', id);
  assert.equal(updates.length, 2);
  assert.deepEqual(updates.map((e: Json) => e.after.revoked), [true, false], 'newest first: the revoke, then the renew');
  assert.equal(Date.parse(updates[1].after.expiry), Date.parse(renewed.body['New expiration date'] as string));
  for (const e of updates) {
    assert.equal(e.actor_type, 'api-key');
    assertNoKeyValue(e, token, F.keys.DM);
  }

  const rotated = await F.post('rotate', F.keys.DM, { resource_key: token, account_id: F.ids.bob, short_expiry: 'True' });
  assert.equal(rotated.status, 200, rotated.text);
  const [rotation] = await entriesOf('api-key.rotate', id);
  assert.equal(rotation.actor_type, 'api-key');
  assert.equal(rotation.after.revoked, true);
  assert.equal(rotation.after.replacement.id, rotated.body.id);
  assertNoKeyValue(rotation, token, rotated.body.new_key as string, F.keys.DM);

  // Read-only actions change nothing and write nothing.
  const status = await F.post('status', F.keys.DM, { resource_key: token, account_id: F.ids.bob });
  assert.equal(status.status, 200, status.text);
  const all = await auditor.get(`/audit-log?entity_type=api-key&entity_id=${id}`);
  assert.equal(all.body.items.length, 4);
});

test('the account page: a user renewing their own key is audited as that user', async () => {
  const browser = await F.server.signIn('alice@example.com', 'alicepass');
  const res = await browser.submitForm('/user/account/', {}, `/user/account/keys/${F.keyIds.AR}/renew/`);
  assert.equal(res.status, 302);

  const [entry, ...more] = await entriesOf('api-key.update', F.keyIds.AR);
  assert.equal(more.length, 0);
  assert.equal(entry.actor_type, 'user');
  assert.equal(entry.actor_id, String(F.ids.alice));
  assert.equal(entry.actor_label, 'alice@example.com');
  assert.equal(entry.before.userId, F.ids.alice);
  assert.ok(Date.parse(entry.after.expiry) > Date.parse(entry.before.expiry), 'the new expiry is later');
  assert.equal(entry.after.revoked, false);
  assertNoKeyValue(entry, F.keys.AR);
});

test('a non-superuser\'s management key still cannot act on another user\'s key, and nothing is recorded', async () => {
  const theirs = await F.server.make.apiKey(F.ids.bob, 'resource');
  for (const action of ['revoke', 'renew', 'rotate', 'status']) {
    const res = await F.post(action, F.keys.AM, { resource_key: theirs.key, account_id: F.ids.bob, revoked: 'True' });
    assert.equal(res.status, 403, `${action}: ${res.text}`);
    assert.deepEqual(res.body, { detail: DETAIL.refused });
  }
  const entries = await auditor.get(`/audit-log?entity_type=api-key&entity_id=${theirs.id}`);
  assert.equal(entries.body.items.length, 0);

  // account_id is a superuser's: alice's create_key for bob issues alice's own key.
  const created = await F.post('create_key', F.keys.AM, { account_id: F.ids.bob });
  assert.equal(created.body.username, 'alice@example.com');
  const [entry] = await entriesOf('api-key.create', created.body.id as number);
  assert.equal(entry.after.userId, F.ids.alice);
  assert.equal(entry.actor_label, 'alice@example.com');
});
