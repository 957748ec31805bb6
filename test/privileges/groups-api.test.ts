// docs/compatibility.md §4.5: the read-only privilege API over teams: list, detail, router root, APPEND_SLASH,
// format suffixes and CSV, and the refusals of writes.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

interface Answer { status: number; headers: Headers; text: string; body: unknown }

let server: TestServer;
let ids: Record<'team1' | 'team2' | 'empty', number>;
before(async (t) => {
  server = await startTestServer(t);
  await server.make.user({ email: 'admin@example.com', password: 'adminpass', isSuperuser: true, isStaff: true });
  const alice = await server.make.user({ email: 'alice@example.com', password: 'alicepass' });
  ids = {
    team1: (await server.make.team('team1', [alice.id])).id,
    team2: (await server.make.team('team2', [alice.id])).id,
    empty: (await server.make.team('empty')).id,
  };
});

const basic = (email: string, password: string) => `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;

async function call(path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${server.url}${path}`, { redirect: 'manual', ...init });
  const text = await res.text();
  assert.ok(res.status < 500, `server error ${res.status} on ${path}: ${text}`);
  let body: unknown;
  try { body = JSON.parse(text); } catch { body = undefined; }
  return { status: res.status, headers: res.headers, text, body };
}

describe('compatibility.md §4.5 privilege groups API', () => {
  test('the list is a plain array of every team, in id order, for anyone', async () => {
    const res = await call('/api/privilege/groups/');
    assert.equal(res.status, 200);
    assert.equal(res.text, `[{"id":${ids.team1},"name":"team1"},{"id":${ids.team2},"name":"team2"},{"id":${ids.empty},"name":"empty"}]`);
  });

  test('a team by id; an unknown or malformed id is 404 "Not found."', async () => {
    const res = await call(`/api/privilege/groups/${ids.team2}/`);
    assert.deepEqual([res.status, res.body], [200, { id: ids.team2, name: 'team2' }]);
    for (const id of ['999999', 'abc', '3000000000', '99999999999999999999999', '-1', '0']) {
      const missing = await call(`/api/privilege/groups/${id}/`);
      assert.deepEqual([missing.status, missing.body], [404, { detail: 'Not found.' }], id);
    }
  });

  test('slash-less URLs are redirected (301) to the slashed ones, query kept', async () => {
    const list = await call('/api/privilege/groups?format=json');
    assert.deepEqual([list.status, list.headers.get('location')], [301, '/api/privilege/groups/?format=json']);
    const one = await call(`/api/privilege/groups/${ids.team1}`);
    assert.deepEqual([one.status, one.headers.get('location')], [301, `/api/privilege/groups/${ids.team1}/`]);
    const root = await call('/api/privilege');
    assert.deepEqual([root.status, root.headers.get('location')], [301, '/api/privilege/']);
  });

  test('the router root links the list with an absolute URL', async () => {
    const res = await call('/api/privilege/');
    assert.deepEqual([res.status, res.body], [200, { groups: `${server.url}/api/privilege/groups/` }]);
  });

  test('format suffixes and ?format=csv choose the renderer', async () => {
    const json = await call('/api/privilege/groups.json');
    assert.equal(json.status, 200);
    assert.equal((json.body as unknown[]).length, 3);
    assert.deepEqual((await call(`/api/privilege/groups/${ids.team1}.json`)).body, { id: ids.team1, name: 'team1' });
    const csv = await call('/api/privilege/groups/?format=csv');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    assert.equal(csv.text, `id,name\r\n${ids.team1},team1\r\n${ids.team2},team2\r\n${ids.empty},empty\r\n`);
    assert.equal((await call('/api/privilege/groups.csv')).text, csv.text);
    assert.equal((await call(`/api/privilege/groups/${ids.empty}/`, { headers: { accept: 'text/csv' } })).text, `id,name\r\n${ids.empty},empty\r\n`);
    assert.deepEqual((await call('/api/privilege/groups/?format=xml')).body, { detail: 'Not found.' });
    assert.equal((await call('/api/privilege/groups/', { headers: { accept: 'application/xml' } })).status, 406);
  });

  test('writes: anonymous 403, a user without model permissions 403, a superuser 405', async () => {
    const post = (headers: Record<string, string> = {}) => call('/api/privilege/groups/', {
      method: 'POST', body: '{"name":"x"}', headers: { 'content-type': 'application/json', ...headers },
    });
    assert.deepEqual((await post()).body, { detail: 'Authentication credentials were not provided.' });
    const alice = await post({ authorization: basic('alice@example.com', 'alicepass') });
    assert.deepEqual([alice.status, alice.body], [403, { detail: 'You do not have permission to perform this action.' }]);
    const bad = await post({ authorization: basic('alice@example.com', 'nope') });
    assert.deepEqual([bad.status, bad.body], [403, { detail: 'Invalid username/password.' }]);
    const admin = await post({ authorization: basic('admin@example.com', 'adminpass') });
    assert.deepEqual([admin.status, admin.body], [405, { detail: 'Method "POST" not allowed.' }]);
    const del = await call(`/api/privilege/groups/${ids.team1}/`, { method: 'DELETE' });
    assert.equal(del.status, 403);
    assert.equal((await call('/api/privilege/groups/')).status, 200, 'still there');
  });

  test('CSV quotes names holding commas or quotes', async () => {
    const odd = await server.make.team('a,"b"');
    const res = await call(`/api/privilege/groups/${odd.id}/?format=csv`);
    assert.equal(res.text, `id,name\r\n${odd.id},"a,""b"""\r\n`);
  });
});
