// The key API (docs/compatibility.md §5) beyond the acceptance scenarios: every credential and resource-key state
// on every action, the expiry and revoked formats, form and multipart bodies, malformed input
// (never a 500), methods and slashes, and the rate limit on failed authentications.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DETAIL, KEY_API, UUID, assertAbout, expiryParam, readAnswer, startKeyApiFixture, type KeyApiFixture } from './key-api.fixture.ts';

const ACTIONS = ['key_list', 'create_key', 'status', 'revoke', 'renew', 'rotate'];
const RESOURCE_ACTIONS = ['status', 'revoke', 'renew', 'rotate'];

let F: KeyApiFixture;
// Many failed authentications below come from one address: the limit is tested on its own server.
before(async (t) => { F = await startKeyApiFixture(t, { DJAM_KEY_CHECK_RATE_LIMIT: '100000' }); });

const form = (fields: Record<string, string>, token: string) => ({
  method: 'POST', body: new URLSearchParams(fields),
  headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Token ${token}` },
});

describe('authentication (compatibility.md §5.2)', () => {
  test('every refused credential on every action is a 401 with the Token challenge and its detail', async () => {
    const inactive = await F.server.make.user({ isActive: false });
    const inactiveKey = (await F.server.make.apiKey(inactive.id, 'management')).key;
    const cases: Array<[string | undefined, string]> = [
      [undefined, DETAIL.notProvided],
      ['not-a-uuid', DETAIL.invalidToken],
      ['00000000-0000-4000-8000-000000000000', DETAIL.invalidToken],
      [F.keys.AR, DETAIL.invalidToken],
      [F.keys.AMR, DETAIL.invalidToken], // docs/compatibility.md §0.4: revoked management keys no longer work
      [F.keys.AME, DETAIL.expiredToken],
      [inactiveKey, 'User inactive or deleted.'],
    ];
    for (const action of ACTIONS) {
      for (const [token, detail] of cases) {
        const res = await F.post(action, token, { resource_key: F.keys.AR, revoked: 'True' });
        assert.equal(res.status, 401, `${action} with ${token}`);
        assert.equal(res.headers.get('www-authenticate'), 'Token');
        assert.deepEqual(res.body, { detail }, `${action} with ${token}`);
      }
    }
    const status = await F.post('status', F.keys.AM, { resource_key: F.keys.AR });
    assert.equal(status.body.revoked, false, 'no refused call changed AR');
  });

  test('the Authorization header is read as DRF reads it', async () => {
    const cases: Array<[string, number, string?]> = [
      [`Bearer ${F.keys.AM}`, 401, DETAIL.notProvided],
      ['Token', 401, 'Invalid token header. No credentials provided.'],
      ['Token   ', 401, 'Invalid token header. No credentials provided.'],
      [`Token ${F.keys.AM} extra`, 401, 'Invalid token header. Token string should not contain spaces.'],
      ['Token \u00e9t\u00e9', 401, 'Invalid token header. Token string should not contain invalid characters.'],
      [`token ${F.keys.AM}`, 200],
      [`TOKEN   ${F.keys.AM}`, 200],
      [`Token ${F.keys.AM.replaceAll('-', '')}`, 200],
      [`Token urn:uuid:${F.keys.AM.toUpperCase()}`, 200],
    ];
    for (const [authorization, status, detail] of cases) {
      const res = await F.send(`${KEY_API}key_list/`, { method: 'POST', headers: { authorization } });
      assert.equal(res.status, status, authorization);
      if (detail) assert.deepEqual(res.body, { detail }, authorization);
    }
  });
});

describe('resource keys (compatibility.md §5.3)', () => {
  test('a missing, malformed, foreign, management or non-canonical resource key is refused on every action', async () => {
    const refused: unknown[] = [undefined, null, 'garbage', 123, ['x'], '00000000-0000-4000-8000-000000000000',
      F.keys.BR, F.keys.AM, F.keys.AR.toUpperCase(), F.keys.AR.replaceAll('-', ''), `{${F.keys.AR}}`];
    for (const action of RESOURCE_ACTIONS) {
      for (const resourceKey of refused) {
        const res = await F.post(action, F.keys.AM, { resource_key: resourceKey, revoked: 'True' });
        assert.equal(res.status, 403, `${action} ${String(resourceKey)}`);
        assert.deepEqual(res.body, { detail: DETAIL.refused });
      }
    }
    const bob = await F.post('status', F.keys.DM, { resource_key: F.keys.BR, account_id: F.ids.bob });
    assert.equal(bob.body.revoked, false, 'no refused call changed BR');
  });

  test('revoked and expired resource keys can be managed with every action', async () => {
    for (const action of RESOURCE_ACTIONS) {
      for (const opts of [{ revoked: true }, { expiryDays: -1 }]) {
        const key = await F.server.make.apiKey(F.ids.alice, 'resource', opts);
        const res = await F.post(action, F.keys.AM, { resource_key: key.key, revoked: false });
        assert.equal(res.status, 200, `${action} ${JSON.stringify(opts)}: ${res.text}`);
      }
    }
  });

  test('a superuser may name a key in any spelling; account_id must be a JSON integer', async () => {
    const upper = await F.post('status', F.keys.DM, { resource_key: F.keys.BR.toUpperCase(), account_id: F.ids.bob });
    assert.equal(upper.status, 200);
    assert.equal(upper.body.key, F.keys.BR);
    const own = await F.post('status', F.keys.DM, { resource_key: F.keys.DR.replaceAll('-', '') });
    assert.equal(own.body.username, 'admin@example.com');
    for (const accountId of [String(F.ids.bob), 0, false]) {
      const res = await F.post('status', F.keys.DM, { resource_key: F.keys.BR, account_id: accountId });
      assert.equal(res.status, 403, JSON.stringify(accountId));
    }
  });

  test('account_id is ignored for non-superusers', async () => {
    const list = await F.post('key_list', F.keys.AM, { account_id: F.ids.bob });
    assert.deepEqual(Object.keys(list.body), ['tokens of alice@example.com']);
    const status = await F.post('status', F.keys.AM, { resource_key: F.keys.BR, account_id: F.ids.bob });
    assert.equal(status.status, 403);
  });

  test('create_key for another user as superuser; a useless account_id means the superuser', async () => {
    const forBob = await F.post('create_key', F.keys.DM, { account_id: F.ids.bob });
    assert.equal(forBob.body.username, 'bob@example.com');
    for (const accountId of [null, 0, 'abc', -1, 1.5, [F.ids.bob], { id: F.ids.bob }]) {
      const res = await F.post('create_key', F.keys.DM, { account_id: accountId });
      assert.equal(res.status, 200, JSON.stringify(accountId));
      assert.equal(res.body.username, 'admin@example.com', JSON.stringify(accountId));
    }
  });

  test('#17 item 13: an account_id beyond the integer range of ids also means the superuser, never a 500', async () => {
    for (const accountId of [2147483648, '2147483648', 999999999999999, '999999999999999']) {
      for (const action of ['key_list', 'create_key']) {
        const res = await F.post(action, F.keys.DM, { account_id: accountId });
        assert.equal(res.status, 200, `${action} ${JSON.stringify(accountId)}: ${res.text}`);
      }
      assert.equal((await F.post('create_key', F.keys.DM, { account_id: accountId })).body.username, 'admin@example.com');
    }
  });
});

describe('expiry (compatibility.md §5.3 step 1)', () => {
  test('renew/ takes exactly YYYY-MM-DDTHH:MM:SS.<1-6 digits>Z and writes milliseconds only when non-zero', async () => {
    const { date } = expiryParam(20);
    const cases: Array<[string, string]> = [
      ['000', 'T08:30:00Z'], ['0', 'T08:30:00Z'], ['123456', 'T08:30:00.123Z'], ['5', 'T08:30:00.500Z'], ['12', 'T08:30:00.120Z'],
    ];
    for (const [fraction, written] of cases) {
      const res = await F.post('renew', F.keys.AM, { resource_key: F.keys.AX, expiry: `${date}T08:30:00.${fraction}Z` });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body['New expiration date'], `${date}${written}`);
    }
  });

  test('anything else is a 403 on every action, whatever its type', async () => {
    const { date } = expiryParam(20);
    const refused: unknown[] = [`${date}T08:30:00Z`, `${date}T08:30:00.000+00:00`, `${date}T08:30:00.0000000Z`, `${date} 08:30:00.000Z`,
      `${date}T08:30:00.000z`, `${date}T24:30:00.000Z`, `${date.slice(0, 4)}-02-30T08:30:00.000Z`, expiryParam(-1).param,
      expiryParam(181).param, '', 'tomorrow', 1893456000, true, [expiryParam(5).param], { at: 1 }];
    for (const action of ACTIONS) {
      for (const expiry of refused) {
        const res = await F.post(action, F.keys.AM, { resource_key: F.keys.AX, expiry });
        assert.equal(res.status, 403, `${action} ${JSON.stringify(expiry)}`);
        assert.deepEqual(res.body, { detail: DETAIL.badExpiry });
      }
    }
  });

  test('a null expiry is no expiry: renew/ gives the default 30 days', async () => {
    const res = await F.post('renew', F.keys.AM, { resource_key: F.keys.AX, expiry: null });
    assert.equal(res.status, 200);
    assertAbout(res.body['New expiration date'], 30);
  });
});

describe('revoked and short_expiry values (compatibility.md §5.5)', () => {
  test('revoke/ accepts the boolean spellings and echoes the value exactly as sent', async () => {
    const cases: Array<[unknown, boolean]> = [['True', true], ['False', false], ['true', true], ['NO', false], ['t', true],
      ['f', false], ['Yes', true], ['0', false], ['1', true], [0, false], [1, true], [true, true], [false, false]];
    for (const [value, revoked] of cases) {
      const res = await F.post('revoke', F.keys.AM, { resource_key: F.keys.AX, revoked: value });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body['new revoked value'], value);
      const status = await F.post('status', F.keys.AM, { resource_key: F.keys.AX });
      assert.equal(status.body.revoked, revoked, JSON.stringify(value));
    }
  });

  test('other revoked values are a 400 on create_key/ and revoke/', async () => {
    for (const value of ['maybe', '', 'truee', 2, -1, [], {}]) {
      for (const action of ['create_key', 'revoke']) {
        const res = await F.post(action, F.keys.AM, { resource_key: F.keys.AX, revoked: value });
        assert.equal(res.status, 400, `${action} ${JSON.stringify(value)}`);
        assert.deepEqual(res.body, { detail: DETAIL.badRevoked });
      }
    }
  });

  test('rotate/ shortens the old key for "True", true and any case of "true", and for nothing else', async () => {
    for (const [value, days] of [['True', 3], [true, 3], ['TRUE', 3], ['False', 0], [false, 0], ['1', 0], [1, 0], [null, 0]] as const) {
      const old = await F.server.make.apiKey(F.ids.alice, 'resource', { expiryDays: 20 });
      const res = await F.post('rotate', F.keys.AM, { resource_key: old.key, short_expiry: value });
      assert.equal(res.body.message, `The old key: ${old.key} with id: ${old.id} is revoked and extended for ${days} days`);
      const status = await F.post('status', F.keys.AM, { resource_key: old.key });
      assertAbout(status.body['expiration date'], days || 20);
    }
  });
});

describe('request bodies and methods (compatibility.md §5.1)', () => {
  test('form-encoded bodies work; a form account_id switches the user for list but fails the key check', async () => {
    const { param, date } = expiryParam(9, '250');
    const created = await F.send(`${KEY_API}create_key/`, form({ revoked: 'True', expiry: param }, F.keys.AM));
    assert.equal(created.status, 200, created.text);
    const status = await F.send(`${KEY_API}status/`, form({ resource_key: created.body.token as string }, F.keys.AM));
    assert.deepEqual([status.body.revoked, status.body['expiration date']], [true, `${date}T08:30:00.250Z`]);
    const revoke = await F.send(`${KEY_API}revoke/`, form({ resource_key: created.body.token as string, revoked: 'f' }, F.keys.AM));
    assert.equal(revoke.body['new revoked value'], 'f');
    const list = await F.send(`${KEY_API}key_list/`, form({ account_id: String(F.ids.bob) }, F.keys.DM));
    assert.deepEqual(Object.keys(list.body), ['tokens of bob@example.com']);
    const bobKey = await F.send(`${KEY_API}status/`, form({ resource_key: F.keys.BR, account_id: String(F.ids.bob) }, F.keys.DM));
    assert.deepEqual([bobKey.status, bobKey.body], [403, { detail: DETAIL.refused }]);
  });

  test('multipart bodies work', async () => {
    const body = new FormData();
    body.set('resource_key', F.keys.AR);
    const res = await F.send(`${KEY_API}status/`, { method: 'POST', body, headers: { authorization: `Token ${F.keys.AM}` } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.key, F.keys.AR);
  });

  test('malformed bodies are 4xx with a detail, after authentication', async () => {
    const auth = { authorization: `Token ${F.keys.AM}` };
    const cases: Array<[Record<string, string>, string, number]> = [
      [{ 'content-type': 'application/json' }, '{"resource_key": ', 400],
      [{ 'content-type': 'application/json' }, '["x"]', 400],
      [{ 'content-type': 'application/json' }, '"x"', 400],
      [{ 'content-type': 'text/plain' }, 'resource_key=x', 415],
      [{ 'content-type': 'multipart/form-data; boundary=zzz' }, 'not multipart', 400],
      [{ 'content-type': 'application/json' }, ' '.repeat(1024 * 1024 + 1), 413],
      [{ 'content-type': 'application/json' }, '', 200],
      [{ 'content-type': 'application/x-www-form-urlencoded' }, '', 200],
    ];
    for (const [headers, body, status] of cases) {
      const res = await F.send(`${KEY_API}key_list/`, { method: 'POST', body, headers: { ...headers, ...auth } });
      assert.equal(res.status, status, `${JSON.stringify(headers)} ${body}: ${res.text}`);
      if (status !== 200) assert.equal(typeof res.body.detail, 'string', res.text);
    }
    const anonymous = await F.send(`${KEY_API}key_list/`, { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } });
    assert.equal(anonymous.status, 401);
  });

  test('GET on the root is {}; other methods on an action are refused once authenticated; slash-less URLs redirect', async () => {
    const root = await F.send(KEY_API, { method: 'GET' });
    assert.deepEqual([root.status, root.body], [200, {}]);
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const anonymous = await F.send(`${KEY_API}status/`, { method });
      assert.deepEqual([anonymous.status, anonymous.body], [401, { detail: DETAIL.notProvided }], method);
      const res = await F.send(`${KEY_API}key_list/`, { method, headers: { authorization: `Token ${F.keys.AM}` } });
      assert.deepEqual([res.status, res.body], [403, { detail: DETAIL.refused }], method);
    }
    const slashless = await F.send(`${KEY_API}key_list?format=json`, { method: 'POST', headers: { authorization: `Token ${F.keys.AM}` } });
    assert.equal(slashless.status, 301);
    assert.equal(slashless.headers.get('location'), `${KEY_API}key_list/?format=json`);
    const rootSlashless = await F.send(KEY_API.slice(0, -1), { method: 'GET' });
    assert.deepEqual([rootSlashless.status, rootSlashless.headers.get('location')], [301, KEY_API]);
  });
});

test('failed authentications are limited per client IP, missing credentials are not counted', async (t) => {
  const L = await startKeyApiFixture(t, { DJAM_KEY_CHECK_RATE_LIMIT: '3', DJAM_SHORT_APIKEY_EXPIRE_DAYS: '5', DJAM_APIKEY_EXPIRE_DAYS: '7' });
  for (let i = 0; i < 5; i++) assert.equal((await L.post('key_list', undefined)).status, 401);
  const rotated = await L.post('rotate', L.keys.AM, { resource_key: L.keys.AR, short_expiry: 'True' });
  assert.match(rotated.body.message as string, / is revoked and extended for 5 days$/, 'the configured number of days');
  const created = await L.post('create_key', L.keys.AM);
  assert.match(created.body.token as string, UUID);
  assertAbout((await L.post('status', L.keys.AM, { resource_key: created.body.token })).body['expiration date'], 7);
  for (let i = 0; i < 3; i++) assert.equal((await L.post('key_list', L.keys.AR)).status, 401);
  for (const token of [L.keys.AR, L.keys.AM]) {
    const res = await L.post('key_list', token);
    assert.equal(res.status, 429);
    assert.equal(typeof res.body.detail, 'string');
  }
  const other = await readAnswer(await fetch(`${L.B}${KEY_API}`));
  assert.equal(other.status, 200, 'the router root is not limited');
});
