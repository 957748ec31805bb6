// docs/compatibility.md §13.3, scenarios 14–29: the API-key REST API against fixture "F", plus the check that the
// database keeps no key value in clear (docs/compatibility.md §12 item 1).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sql, type SQL } from 'drizzle-orm';
import { DETAIL, UUID, assertAbout, expiryParam, startKeyApiFixture, type KeyApiFixture } from './key-api.fixture.ts';

let F: KeyApiFixture;
before(async (t) => { F = await startKeyApiFixture(t); });

/**
 * Scenario-1-style introspection of a resource key. Until the GeoServer endpoint is mounted
 * (404 here), the same rule of docs/compatibility.md §2.8 is read through `status/` as the superuser.
 */
async function assertIntrospects(key: string, ownerId: number, expected: 200 | 403): Promise<void> {
  const res = await fetch(`${F.B}/openid/authkey/introspect/?authkey=${key}`);
  await res.body?.cancel();
  if (res.status !== 404) {
    assert.equal(res.status, expected, `introspection of ${key}`);
    return;
  }
  const status = await F.post('status', F.keys.DM, { resource_key: key, account_id: ownerId });
  assert.equal(status.status, 200, status.text);
  const isUsable = status.body.revoked === false && Date.parse(status.body['expiration date'] as string) > Date.now();
  assert.equal(isUsable, expected === 200, `usability of ${key}: ${status.text}`);
}

describe('compatibility.md §13.3 API-key REST API', () => {
  test('14: key_list/ without Authorization is a 401 with a Token challenge', async () => {
    const res = await F.post('key_list', undefined);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Token');
    assert.deepEqual(res.body, { detail: DETAIL.notProvided });
  });

  test('15: a resource key is an invalid token; an expired management key gets the typo message', async () => {
    const withResourceKey = await F.post('key_list', F.keys.AR);
    assert.equal(withResourceKey.status, 401);
    assert.equal(withResourceKey.headers.get('www-authenticate'), 'Token');
    assert.deepEqual(withResourceKey.body, { detail: DETAIL.invalidToken });
    const expired = await F.post('key_list', F.keys.AME);
    assert.equal(expired.status, 401);
    assert.equal(expired.headers.get('www-authenticate'), 'Token');
    assert.deepEqual(expired.body, { detail: DETAIL.expiredToken });
  });

  test('16: key_list/ lists every resource key of alice in creation order, revoked and expired ones too', async () => {
    const res = await F.post('key_list', F.keys.AM);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(res.body, { 'tokens of alice@example.com': [F.keys.AR, F.keys.AX, F.keys.AE] });
    // Django's JsonResponse spacing (docs/compatibility.md §0.2).
    assert.equal(res.text, `{"tokens of alice@example.com": ["${F.keys.AR}", "${F.keys.AX}", "${F.keys.AE}"]}`);
  });

  test('17: create_key/ issues a working resource key for alice, expiring in 30 days', async () => {
    const res = await F.post('create_key', F.keys.AM, {});
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body), ['username', 'token', 'id', 'created']);
    assert.equal(res.body.username, 'alice@example.com');
    assert.match(res.body.token as string, UUID);
    assert.equal(typeof res.body.id, 'number');
    assert.equal(res.body.created, 'success');
    await assertIntrospects(res.body.token as string, F.ids.alice, 200);
    const status = await F.post('status', F.keys.AM, { resource_key: res.body.token });
    assert.equal(status.status, 200);
    assert.equal(status.body.revoked, false);
    assertAbout(status.body['expiration date'], 30);
  });

  test('18: create_key/ with "revoked": "True" issues a key that does not work', async () => {
    const res = await F.post('create_key', F.keys.AM, { revoked: 'True' });
    assert.equal(res.status, 200, res.text);
    await assertIntrospects(res.body.token as string, F.ids.alice, 403);
  });

  test('19: create_key/ with an expiry stores that instant', async () => {
    const { param, date } = expiryParam(10);
    const res = await F.post('create_key', F.keys.AM, { expiry: param });
    assert.equal(res.status, 200, res.text);
    const status = await F.post('status', F.keys.AM, { resource_key: res.body.token });
    assert.equal(status.body['expiration date'], `${date}T08:30:00Z`);
  });

  test('20: create_key/ refuses an expiry without fractional seconds, beyond 180 days or in the past', async () => {
    const noFraction = expiryParam(10).param.replace('.000Z', 'Z');
    for (const expiry of [noFraction, expiryParam(181).param, expiryParam(-1).param]) {
      const res = await F.post('create_key', F.keys.AM, { expiry });
      assert.equal(res.status, 403, expiry);
      assert.deepEqual(res.body, { detail: DETAIL.badExpiry });
    }
  });

  test('21: status/ refuses bob\'s key, a management key and a missing resource_key', async () => {
    for (const body of [{ resource_key: F.keys.BR }, { resource_key: F.keys.AM }, {}]) {
      const res = await F.post('status', F.keys.AM, body);
      assert.equal(res.status, 403, JSON.stringify(body));
      assert.deepEqual(res.body, { detail: DETAIL.refused });
    }
  });

  test('22: status/ of AR has exactly username, key, id, revoked and expiration date', async () => {
    const res = await F.post('status', F.keys.AM, { resource_key: F.keys.AR });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ['username', 'key', 'id', 'revoked', 'expiration date']);
    assert.deepEqual({ ...res.body, 'expiration date': undefined }, {
      username: 'alice@example.com', key: F.keys.AR, id: F.keyIds.AR, revoked: false, 'expiration date': undefined,
    });
    assertAbout(res.body['expiration date'], 30);
  });

  test('23: revoke/ without a value asks for one and changes nothing', async () => {
    const res = await F.post('revoke', F.keys.AM, { resource_key: F.keys.AR });
    assert.equal(res.status, 200);
    assert.equal(res.text, '{"message": "Please set a revoked value"}');
    await assertIntrospects(F.keys.AR, F.ids.alice, 200);
  });

  test('24: revoke/ "True" disables AR, false enables it again', async () => {
    const revoke = await F.post('revoke', F.keys.AM, { resource_key: F.keys.AR, revoked: 'True' });
    assert.equal(revoke.status, 200);
    assert.deepEqual(revoke.body, { username: 'alice@example.com', key: F.keys.AR, id: F.keyIds.AR, 'new revoked value': 'True' });
    await assertIntrospects(F.keys.AR, F.ids.alice, 403);
    const enable = await F.post('revoke', F.keys.AM, { resource_key: F.keys.AR, revoked: false });
    assert.equal(enable.status, 200);
    assert.equal(enable.body['new revoked value'], false);
    await assertIntrospects(F.keys.AR, F.ids.alice, 200);
  });

  test('25: renew/ of the expired AE sets now + 30 days and AE works again', async () => {
    const res = await F.post('renew', F.keys.AM, { resource_key: F.keys.AE });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ['username', 'key', 'id', 'New expiration date']);
    assert.equal(res.body.key, F.keys.AE);
    assertAbout(res.body['New expiration date'], 30);
    await assertIntrospects(F.keys.AE, F.ids.alice, 200);
  });

  let rotatedKey = '';
  test('26: rotate/ with short_expiry "True" revokes AR, keeps it 3 days and issues a working key', async () => {
    const res = await F.post('rotate', F.keys.AM, { resource_key: F.keys.AR, short_expiry: 'True' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body), ['message', 'username', 'new_key', 'id']);
    assert.equal(res.body.message, `The old key: ${F.keys.AR} with id: ${F.keyIds.AR} is revoked and extended for 3 days`);
    assert.equal(res.body.username, 'alice@example.com');
    assert.match(res.body.new_key as string, UUID);
    assert.equal(typeof res.body.id, 'number');
    rotatedKey = res.body.new_key as string;
    await assertIntrospects(rotatedKey, F.ids.alice, 200);
    await assertIntrospects(F.keys.AR, F.ids.alice, 403);
    const status = await F.post('status', F.keys.AM, { resource_key: F.keys.AR });
    assert.equal(status.body.revoked, true);
    assertAbout(status.body['expiration date'], 3);
  });

  test('27: rotate/ without short_expiry says 0 days and leaves the old expiry alone', async () => {
    const res = await F.post('rotate', F.keys.AM, { resource_key: rotatedKey });
    assert.equal(res.status, 200, res.text);
    assert.match(res.body.message as string, / is revoked and extended for 0 days$/);
    const status = await F.post('status', F.keys.AM, { resource_key: rotatedKey });
    assert.equal(status.body.revoked, true);
    assertAbout(status.body['expiration date'], 30);
  });

  test('28: the superuser reaches bob\'s key only with bob\'s account_id', async () => {
    const withBob = await F.post('status', F.keys.DM, { resource_key: F.keys.BR, account_id: F.ids.bob });
    assert.equal(withBob.status, 200, withBob.text);
    assert.equal(withBob.body.username, 'bob@example.com');
    for (const body of [{ resource_key: F.keys.BR }, { resource_key: F.keys.BR, account_id: F.ids.alice }]) {
      const res = await F.post('status', F.keys.DM, body);
      assert.equal(res.status, 403, JSON.stringify(body));
      assert.deepEqual(res.body, { detail: DETAIL.refused });
    }
  });

  test('29: the superuser lists alice\'s keys by account_id; an unknown id lists its own', async () => {
    const alice = await F.post('key_list', F.keys.DM, { account_id: F.ids.alice });
    assert.deepEqual(Object.keys(alice.body), ['tokens of alice@example.com']);
    const unknown = await F.post('key_list', F.keys.DM, { account_id: 999999 });
    assert.deepEqual(unknown.body, { 'tokens of admin@example.com': [F.keys.DR] });
  });
});

test('compatibility.md §12 item 1 the database holds no key value in clear', async () => {
  const issued = await F.post('create_key', F.keys.AM, {});
  const values = [...Object.values(F.keys), issued.body.token as string];
  const rowsOf = async <T>(query: SQL) => (await F.server.database.db.execute(query) as unknown as { rows: T[] }).rows;
  const tables = await rowsOf<{ table_name: string }>(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
  const names = tables.map((r) => r.table_name);
  assert.ok(names.includes('api_keys'), names.join());
  for (const name of names) {
    const rows = await rowsOf<{ row: string }>(sql`select row_to_json(t)::text as row from ${sql.identifier(name)} t`);
    const dump = rows.map((r) => r.row).join('\n').toLowerCase();
    for (const value of values) {
      assert.ok(!dump.includes(value), `${name} holds ${value}`);
      assert.ok(!dump.includes(value.replaceAll('-', '')), `${name} holds ${value} without hyphens`);
    }
  }
});
