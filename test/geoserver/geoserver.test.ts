// docs/compatibility.md §13.2, scenarios 1–13 with fixture "F" (§13.1), then every key state and the edges of
// the AuthKey, credential and role-service endpoints, as GeoServer and other clients see them.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { JSONPath } from 'jsonpath-plus';
import { b64, basic, call, DETAIL, NO_IDENTITY, startGeoServerFixture, type GeoServerFixture } from './geoserver.fixture.ts';

// The expressions as GeoServer's configuration holds them (docs/compatibility.md §4), verbatim.
const USERNAME_REGEX = new RegExp(String.raw`^.*?\"username\"\s*:\s*\"([^\"]+)\".*$`);
const ROLES_REGEX = new RegExp(String.raw`^.*?"groups"\s*:\s*\["([^"]+)"\].*$`);
const USERS_JSONPATH = "$.users[?(@.username=='alice@example.com')].groups";

let F: GeoServerFixture;
// This file refuses many keys on purpose; the limit on failures has its own test file.
before(async (t) => { F = await startGeoServerFixture(t, { DJAM_KEY_CHECK_RATE_LIMIT: '1000' }); });

const get = (path: string, headers: Record<string, string> = {}) => call(F.B, path, { headers });
const authkey = (value: string, headers: Record<string, string> = {}) => get(`/openid/authkey/introspect/?authkey=${encodeURIComponent(value)}`, headers);
const credentials = (u: string, p: string) => get(`/openid/credentials/introspect/?u=${encodeURIComponent(b64(u))}&p=${encodeURIComponent(b64(p))}`);

describe('compatibility.md §13.2 GeoServer scenarios', () => {
  test('1: a valid resource key names its owner and teams in one comma-joined string', async () => {
    const res = await authkey(F.keys.AR);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { username: 'alice@example.com', groups: ['team1,team2'] });
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  });

  test("2: GeoServer's user and roles regexes capture the username and the team list", async () => {
    const { text } = await authkey(F.keys.AR);
    assert.equal(USERNAME_REGEX.exec(text)?.[1], 'alice@example.com');
    assert.equal(ROLES_REGEX.exec(text)?.[1], 'team1,team2');
  });

  test('3: an owner without teams gets [""]', async () => {
    const res = await authkey(F.keys.BR);
    assert.equal(res.status, 200);
    assert.equal(res.text, '{"username":"bob@example.com","groups":[""]}');
  });

  test('4: revoked, expired, management, unknown, garbage or missing keys are 403 with a detail', async () => {
    for (const value of [F.keys.AX, F.keys.AE, F.keys.AM, randomUUID(), 'garbage']) {
      const res = await authkey(value);
      assert.equal(res.status, 403, value);
      assert.deepEqual(res.body, { detail: DETAIL.notProvided }, value);
    }
    const missing = await get('/openid/authkey/introspect/');
    assert.equal(missing.status, 403);
    assert.deepEqual(missing.body, { detail: DETAIL.notProvided });
  });

  test('5: the key without hyphens (32 hex digits) is the same key', async () => {
    const res = await authkey(F.keys.AR.replaceAll('-', ''));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { username: 'alice@example.com', groups: ['team1,team2'] });
  });

  // Scenario 6 (secure rule on) runs against its own server in secure-rule.test.ts.

  test('7: correct Base64 credentials give the username and the plain team list', async () => {
    const res = await credentials('alice@example.com', 'alicepass');
    assert.equal(res.status, 200);
    assert.equal(res.text, '{"username":"alice@example.com","groups":["team1","team2"]}');
  });

  test('8: wrong password 401, unknown user 404, no parameters 400, all naming nobody', async () => {
    const wrong = await credentials('alice@example.com', 'nope');
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, NO_IDENTITY);
    const unknown = await credentials('nobody@example.com', 'alicepass');
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, NO_IDENTITY);
    const none = await get('/openid/credentials/introspect/');
    assert.equal(none.status, 400);
    assert.deepEqual(none.body, NO_IDENTITY);
  });

  test('9: roles lists every team in id order without credentials; a trailing slash is 404', async () => {
    const res = await get('/api/privilege/geoserver/roles');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { groups: ['team1', 'team2', 'empty'] });
    assert.equal((await get('/api/privilege/geoserver/roles/')).status, 404);
  });

  test('10: adminRole is the constant "admin"', async () => {
    const res = await get('/api/privilege/geoserver/adminRole');
    assert.equal(res.status, 200);
    assert.equal(res.text, '{"adminRole":"admin"}');
  });

  test("11: users, for staff by Basic, holds exactly the users with teams; GeoServer's JSONPath finds alice's", async () => {
    const res = await get('/api/privilege/geoserver/users', { authorization: basic(F.people.staff) });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      users: [{ username: 'alice@example.com', groups: ['team1', 'team2'] }, { username: 'staff@example.com', groups: ['team1'] }],
    });
    assert.deepEqual(JSONPath({ path: USERS_JSONPATH, json: res.body as object }), [['team1', 'team2']]);
  });

  test('12: users refuses anonymous callers and non-staff users', async () => {
    const anonymous = await get('/api/privilege/geoserver/users');
    assert.equal(anonymous.status, 403);
    assert.deepEqual(anonymous.body, { detail: DETAIL.notProvided });
    const alice = await get('/api/privilege/geoserver/users', { authorization: basic(F.people.alice) });
    assert.equal(alice.status, 403);
    assert.deepEqual(alice.body, { detail: DETAIL.forbidden });
  });

  test('13: the groups list is public: id and name of the three teams', async () => {
    const res = await get('/api/privilege/groups/');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, [
      { id: F.teamIds.team1, name: 'team1' }, { id: F.teamIds.team2, name: 'team2' }, { id: F.teamIds.empty, name: 'empty' },
    ]);
  });
});

describe('compatibility.md §4.1 AuthKey introspection: key states and DRF behaviour', () => {
  test('a key is accepted in every UUID spelling Python accepts', async () => {
    const hex = F.keys.AR.replaceAll('-', '');
    for (const value of [F.keys.AR.toUpperCase(), `{${F.keys.AR}}`, `urn:uuid:${F.keys.AR}`, hex.toUpperCase()]) {
      const res = await authkey(value);
      assert.equal(res.status, 200, value);
      assert.deepEqual(res.body, { username: 'alice@example.com', groups: ['team1,team2'] }, value);
    }
  });

  test("an admin's resource key works; management keys, live or expired, never do", async () => {
    assert.deepEqual((await authkey(F.keys.DR)).body, { username: 'admin@example.com', groups: [''] });
    for (const value of [F.keys.AME, F.keys.DM]) assert.equal((await authkey(value)).status, 403);
  });

  test("an inactive owner's key is refused", async () => {
    const ghost = await F.server.make.user({ email: 'ghost@example.com', isActive: false });
    const { key } = await F.server.make.apiKey(ghost.id, 'resource');
    const res = await authkey(key);
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, { detail: DETAIL.notProvided });
  });

  test('malformed values of any size are refused, never a server error', async () => {
    for (const value of ['x'.repeat(5000), `${F.keys.AR}0`, F.keys.AR.slice(1), 'é', '{}', ' ']) {
      assert.equal((await authkey(value)).status, 403, value.slice(0, 20));
    }
  });

  test('the refusal names how the caller authenticated: session, Basic or bad Basic', async () => {
    const browser = await F.server.signIn(F.people.bob.email, F.people.bob.password);
    const bySession = await browser.fetch(`/openid/authkey/introspect/?authkey=${F.keys.AX}`);
    assert.equal(bySession.status, 403);
    assert.deepEqual(await bySession.json(), { detail: DETAIL.invalidKey });
    const byBasic = await authkey(F.keys.AX, { authorization: basic(F.people.bob) });
    assert.deepEqual([byBasic.status, byBasic.body], [403, { detail: DETAIL.invalidKey }]);
    const badBasic = await authkey(F.keys.AX, { authorization: basic({ email: 'bob@example.com', password: 'wrong' }) });
    assert.deepEqual([badBasic.status, badBasic.body], [403, { detail: DETAIL.badBasic }]);
  });

  test('wrong Basic credentials are refused even beside a valid key; right ones change nothing', async () => {
    const bad = await authkey(F.keys.AR, { authorization: basic({ email: 'bob@example.com', password: 'wrong' }) });
    assert.deepEqual([bad.status, bad.body], [403, { detail: DETAIL.badBasic }]);
    const good = await authkey(F.keys.AR, { authorization: basic(F.people.bob) });
    assert.deepEqual([good.status, good.body], [200, { username: 'alice@example.com', groups: ['team1,team2'] }]);
  });

  test('JSON only: Accept text/html alone is 406; */*, browsers and ?format=json get JSON', async () => {
    const html = await authkey(F.keys.AR, { accept: 'text/html' });
    assert.deepEqual([html.status, html.body], [406, { detail: 'Could not satisfy the request Accept header.' }]);
    for (const accept of ['*/*', 'application/json', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8']) {
      assert.equal((await authkey(F.keys.AR, { accept })).status, 200, accept);
    }
    const forced = await get(`/openid/authkey/introspect/?authkey=${F.keys.AR}&format=json`, { accept: 'text/html' });
    assert.equal(forced.status, 200);
    const unknownFormat = await get(`/openid/authkey/introspect/?authkey=${F.keys.AR}&format=api`);
    assert.deepEqual([unknownFormat.status, unknownFormat.body], [404, { detail: 'Not found.' }]);
  });

  test('only GET: POST and the other writes are 405 with the DRF body; HEAD and OPTIONS answer', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await call(F.B, `/openid/authkey/introspect/?authkey=${F.keys.AR}`, { method });
      assert.equal(res.status, 405, method);
      assert.deepEqual(res.body, { detail: `Method "${method}" not allowed.` });
    }
    const odd = await call(F.B, '/openid/authkey/introspect/', { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } });
    assert.equal(odd.status, 405);
    assert.equal((await call(F.B, `/openid/authkey/introspect/?authkey=${F.keys.AR}`, { method: 'HEAD' })).status, 200);
    assert.equal((await call(F.B, '/openid/authkey/introspect/', { method: 'OPTIONS' })).status, 200);
  });

  test('without the trailing slash the URL is redirected to the slashed one, query kept', async () => {
    const res = await get(`/openid/authkey/introspect?authkey=${F.keys.AR}`);
    assert.equal(res.status, 301);
    assert.equal(res.headers.get('location'), `/openid/authkey/introspect/?authkey=${F.keys.AR}`);
  });
});

describe('compatibility.md §4.2 credential introspection', () => {
  test('the username matches exactly and case-sensitively, not the e-mail', async () => {
    assert.equal((await credentials('ALICE@example.com', 'alicepass')).status, 404);
    await F.server.make.user({ email: 'carol@example.com', username: 'carol', password: 'carolpass' });
    assert.deepEqual((await credentials('carol', 'carolpass')).body, { username: 'carol', groups: [] });
    assert.equal((await credentials('carol@example.com', 'carolpass')).status, 404);
  });

  test('an inactive user is refused like a wrong password (contract divergence)', async () => {
    await F.server.make.user({ email: 'dormant@example.com', password: 'dormantpass', isActive: false });
    const res = await credentials('dormant@example.com', 'dormantpass');
    assert.deepEqual([res.status, res.body], [401, NO_IDENTITY]);
  });

  test('undecodable or non-ASCII parameters are 400', async () => {
    const cases = [
      `u=${b64('alice@example.com')}`, // no password
      `u=%%%&p=${b64('alicepass')}`,
      `u=YWxpY2U&p=${b64('alicepass')}`, // padding missing
      `u=${encodeURIComponent(b64('alicé@example.com'))}&p=${b64('alicepass')}`,
      `u=${'A'.repeat(10_000)}&p=${b64('x')}`,
    ];
    for (const query of cases) {
      const res = await get(`/openid/credentials/introspect/?${query}`);
      assert.deepEqual([res.status, res.body], [400, NO_IDENTITY], query.slice(0, 40));
    }
  });

  test("wrong Basic credentials on the request itself are DRF's 403; a session is ignored", async () => {
    const query = `u=${encodeURIComponent(b64('alice@example.com'))}&p=${encodeURIComponent(b64('alicepass'))}`;
    const bad = await get(`/openid/credentials/introspect/?${query}`, { authorization: basic({ email: 'bob@example.com', password: 'x' }) });
    assert.deepEqual([bad.status, bad.body], [403, { detail: DETAIL.badBasic }]);
    const browser = await F.server.signIn(F.people.bob.email, F.people.bob.password);
    const res = await browser.fetch(`/openid/credentials/introspect/?${query}`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { username: 'alice@example.com', groups: ['team1', 'team2'] });
  });

  test('JSON only and GET only', async () => {
    const html = await get('/openid/credentials/introspect/', { accept: 'text/html' });
    assert.equal(html.status, 406);
    const post = await call(F.B, '/openid/credentials/introspect/', { method: 'POST' });
    assert.deepEqual([post.status, post.body], [405, { detail: 'Method "POST" not allowed.' }]);
  });
});

describe('compatibility.md §4.3 REST role service', () => {
  const users = (headers: Record<string, string>) => get('/api/privilege/geoserver/users', headers);

  test("a staff member's management key is accepted as `Authorization: apiKey <key>`", async () => {
    const res = await users({ authorization: `apiKey ${F.keys.DM}` });
    assert.equal(res.status, 200);
    assert.deepEqual(JSONPath({ path: USERS_JSONPATH, json: res.body as object }), [['team1', 'team2']]);
  });

  test("other keys are refused: a non-staff owner's, expired, resource-scoped, unknown", async () => {
    assert.deepEqual((await users({ authorization: `apiKey ${F.keys.AM}` })).body, { detail: DETAIL.forbidden });
    for (const key of [F.keys.AME, F.keys.DR, randomUUID(), 'garbage']) {
      const res = await users({ authorization: `apiKey ${key}` });
      assert.deepEqual([res.status, res.body], [403, { detail: DETAIL.notProvided }], key);
    }
  });

  test('staff by session cookie is accepted; wrong Basic credentials are refused', async () => {
    const browser = await F.server.signIn(F.people.staff.email, F.people.staff.password);
    assert.equal((await browser.fetch('/api/privilege/geoserver/users')).status, 200);
    const bad = await users({ authorization: basic({ email: 'staff@example.com', password: 'x' }) });
    assert.deepEqual([bad.status, bad.body], [403, { detail: DETAIL.badBasic }]);
  });

  test('no trailing slash on any of them; only GET, HEAD and OPTIONS', async () => {
    for (const path of ['roles', 'adminRole', 'users']) {
      assert.equal((await get(`/api/privilege/geoserver/${path}/`)).status, 404, path);
      const post = await call(F.B, `/api/privilege/geoserver/${path}`, { method: 'POST' });
      assert.deepEqual([post.status, post.body], [405, { detail: 'Method "POST" not allowed.' }], path);
    }
    assert.equal((await call(F.B, '/api/privilege/geoserver/roles', { method: 'HEAD' })).status, 200);
    const options = await call(F.B, '/api/privilege/geoserver/adminRole', { method: 'OPTIONS' });
    assert.equal(options.status, 200);
    assert.match(options.headers.get('allow') ?? '', /GET/);
  });

  test('renderer choice: CSV is an empty body (not a list), unknown media types 406', async () => {
    const csv = await get('/api/privilege/geoserver/roles?format=csv');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    assert.equal(csv.text, '');
    assert.equal((await get('/api/privilege/geoserver/roles', { accept: 'application/xml' })).status, 406);
    assert.equal((await get('/api/privilege/geoserver/roles', { accept: 'text/html' })).status, 200);
  });
});
