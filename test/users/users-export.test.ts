// docs/compatibility.md §7 users export: the original's tests 23–29 (§11) with their four users, scenario 44 of
// docs/compatibility.md §13.5, and the envelope, pagination, filter and CSV details clients rely on.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { users } from '../../src/db/schema.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

interface Answer { status: number; headers: Headers; text: string; body: Record<string, unknown> }
interface Page { count: number; next: string | null; previous: string | null; results: Array<Record<string, unknown>> }

const FIELDS = ['id', 'username', 'first_name', 'last_name', 'last_login', 'email'];
let server: TestServer;
let B: string;
const auth: Record<'staff' | 'plain', string> = { staff: '', plain: '' };

before(async (t) => {
  server = await startTestServer(t);
  B = server.url;
  const { make } = server;
  await make.user({ email: 'staff@example.com', password: 'staffpass', isStaff: true, isSuperuser: true, firstName: 'Sam', lastName: 'Staff' });
  const plain = await make.user({ email: 'plain@example.com', password: 'plainpass', emailConfirmed: false });
  const may21 = await make.user({ email: 'may21@example.com', firstName: 'Twenty', lastName: 'One, Jr.' });
  const may11 = await make.user({ email: 'may11@example.com' });
  await make.team('pro', [may21.id, may11.id]);
  await make.team('free', [may21.id, plain.id]);
  // No service sets a past last_login (sign-in stamps "now"), so the fixture writes it directly.
  const stamp = (id: number, iso: string) => server.database.db.update(users).set({ lastLogin: new Date(iso) }).where(eq(users.id, id));
  await stamp(may21.id, '2020-05-21T07:59:26Z');
  await stamp(may11.id, '2020-05-11T07:59:26Z');
  auth.staff = `Basic ${Buffer.from('staff@example.com:staffpass').toString('base64')}`;
  auth.plain = `Basic ${Buffer.from('plain@example.com:plainpass').toString('base64')}`;
});

async function get(path: string, headers: Record<string, string> = { authorization: auth.staff }): Promise<Answer> {
  const res = await fetch(`${B}${path}`, { headers, redirect: 'manual' });
  const text = await res.text();
  assert.ok(res.status < 500, `server error ${res.status} on ${path}: ${text}`);
  let body: Record<string, unknown> = {};
  try { body = JSON.parse(text) as Record<string, unknown>; } catch { /* CSV or HTML */ }
  return { status: res.status, headers: res.headers, text, body };
}

const countOf = async (query: string) => ((await get(`/public_api/users/?${query}`)).body as unknown as Page).count;

describe('compatibility.md §11 tests 23–29', () => {
  test('23: a non-staff user is refused', async () => {
    const res = await get('/public_api/users/', { authorization: auth.plain });
    assert.deepEqual([res.status, res.body], [403, { detail: 'You do not have permission to perform this action.' }]);
  });
  test('24: staff sees all four users', async () => assert.equal(await countOf(''), 4));
  test('25: teams=test matches nobody', async () => assert.equal(await countOf('teams=test'), 0));
  test('26: unknown parameters are ignored', async () => assert.equal(await countOf('colour=blue'), 4));
  test('27: older than 2020-05-21T11:19:10Z', async () => assert.equal(await countOf('older=2020-05-21T11:19:10Z'), 2));
  test('28: newer than 2020-05-21T11:19:10Z', async () => assert.equal(await countOf('newer=2020-05-21T11:19:10Z'), 0));
  test('29: an invalid datetime is 400 naming the parameter', async () => {
    const res = await get('/public_api/users/?newer=wrongg_fate');
    assert.deepEqual([res.status, res.body], [400, { newer: ['Enter a valid date/time.'] }]);
  });
});

describe('compatibility.md §7 details', () => {
  test('anonymous callers are asked for credentials', async () => {
    const res = await get('/public_api/users/', {});
    assert.deepEqual([res.status, res.body], [403, { detail: 'Authentication credentials were not provided.' }]);
  });

  test('rows in id order, datetimes in UTC with Z, null when never logged in; Basic does not stamp last_login', async () => {
    const { results } = (await get('/public_api/users/')).body as unknown as Page;
    assert.deepEqual(results.map((r) => r.username), ['staff@example.com', 'plain@example.com', 'may21@example.com', 'may11@example.com']);
    assert.deepEqual(results.map((r) => r.last_login), [null, null, '2020-05-21T07:59:26Z', '2020-05-11T07:59:26Z']);
    assert.deepEqual(results[0], {
      id: results[0].id, username: 'staff@example.com', first_name: 'Sam', last_name: 'Staff', last_login: null, email: 'staff@example.com',
    });
  });

  test('page links are absolute, keep the other parameters sorted, and omit page=1', async () => {
    const first = (await get('/public_api/users/?page_size=2&teams=pro,free')).body as unknown as Page;
    assert.equal(first.count, 3);
    assert.equal(first.next, `${B}/public_api/users/?page=2&page_size=2&teams=pro%2Cfree`);
    assert.equal(first.previous, null);
    const second = (await get('/public_api/users/?page=2&page_size=2&teams=pro,free')).body as unknown as Page;
    assert.deepEqual([second.next, second.previous], [null, `${B}/public_api/users/?page_size=2&teams=pro%2Cfree`]);
    assert.equal(second.results.length, 1);
    const last = (await get('/public_api/users/?page=last&page_size=3')).body as unknown as Page;
    assert.equal(last.results.length, 1);
  });

  test('pages that do not exist are 404 "Invalid page."; bad page sizes fall back to 50', async () => {
    for (const page of ['3', '0', '-1', 'abc', '1.5']) {
      const res = await get(`/public_api/users/?page_size=2&page=${page}`);
      assert.deepEqual([res.status, res.body], [404, { detail: 'Invalid page.' }], page);
    }
    assert.equal(((await get('/public_api/users/?page=1&teams=nobody')).body as unknown as Page).count, 0);
    for (const size of ['0', '-3', 'x', '100000']) {
      const page = (await get(`/public_api/users/?page_size=${size}`)).body as unknown as Page;
      assert.deepEqual([page.results.length, page.next], [4, null], size);
    }
  });

  test('date filters: bounds, offsets, bare dates; users never logged in never match', async () => {
    assert.equal(await countOf('older_equal=2020-05-21T07:59:26Z'), 2);
    assert.equal(await countOf('older=2020-05-21T07:59:26Z'), 1);
    assert.equal(await countOf('newer_equal=2020-05-11T07:59:26Z'), 2);
    assert.equal(await countOf('newer=2020-05-11T07:59:26Z'), 1);
    assert.equal(await countOf(`newer=${encodeURIComponent('2020-05-21T09:59:25+02:00')}`), 1);
    assert.equal(await countOf('older=2020-05-15'), 1);
    assert.equal(await countOf('older='), 4);
    const res = await get('/public_api/users/?older=2020-13-01T00:00:00Z&newer_equal=2020-02-30');
    assert.deepEqual([res.status, res.body], [400, { older: ['Enter a valid date/time.'], newer_equal: ['Enter a valid date/time.'] }]);
  });

  test('teams: any listed team, each user once; email_confirmation as a boolean', async () => {
    assert.equal(await countOf('teams=pro'), 2);
    assert.equal(await countOf('teams=pro,free,pro'), 3);
    assert.equal(await countOf('email_confirmation=false'), 1);
    assert.equal(await countOf('email_confirmation=True'), 3);
    assert.equal(await countOf('email_confirmation=0'), 1);
    assert.equal(await countOf('email_confirmation=maybe'), 4);
  });

  test('CSV: the header, then the current page only, quoted where needed', async () => {
    const res = await get('/public_api/users/?format=csv&page_size=1&page=3');
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
    const id = ((await get('/public_api/users/?page_size=1&page=3')).body as unknown as Page).results[0].id;
    assert.equal(res.text, `${FIELDS.join(',')}\r\n${id},may21@example.com,Twenty,"One, Jr.",2020-05-21T07:59:26Z,may21@example.com\r\n`);
    const accepted = await get('/public_api/users/', { authorization: auth.staff, accept: 'text/csv' });
    assert.equal(accepted.text.split('\r\n').length, 6);
  });

  test('the router root, slash redirects, no detail route, read only', async () => {
    assert.deepEqual((await get('/public_api/', {})).body, { users: `${B}/public_api/users/` });
    const redirect = await get('/public_api/users?page=2');
    assert.deepEqual([redirect.status, redirect.headers.get('location')], [301, '/public_api/users/?page=2']);
    assert.equal((await get('/public_api/users/1/')).status, 404);
    const post = await fetch(`${B}/public_api/users/`, { method: 'POST', headers: { authorization: auth.staff } });
    assert.equal(post.status, 405);
  });

  test('a staff session works as well as Basic', async () => {
    const browser = await server.signIn('staff@example.com', 'staffpass');
    const res = await browser.fetch('/public_api/users/');
    assert.equal(res.status, 200);
  });
});

// Last: it adds alice, which would change the counts above.
describe('compatibility.md §13.5 scenario 44', () => {
  test('envelope, exact fields, next link, CSV header, bad date, non-staff', async () => {
    await server.make.user({ email: 'alice@example.com', password: 'alicepass' });
    const res = await get('/public_api/users/');
    assert.equal(res.status, 200);
    const page = res.body as unknown as Page;
    assert.deepEqual(Object.keys(page), ['count', 'next', 'previous', 'results']);
    assert.equal(page.count, 5);
    for (const row of page.results) assert.deepEqual(Object.keys(row), FIELDS);
    assert.notEqual(((await get('/public_api/users/?page_size=2')).body as unknown as Page).next, null);
    assert.equal((await get('/public_api/users/?format=csv')).text.split('\r\n')[0], FIELDS.join(','));
    const bad = await get('/public_api/users/?newer=bad');
    assert.equal(bad.status, 400);
    assert.ok('newer' in bad.body);
    const refused = await get('/public_api/users/', { authorization: `Basic ${Buffer.from('alice@example.com:alicepass').toString('base64')}` });
    assert.equal(refused.status, 403);
  });
});

// OWASP CSV injection: a spreadsheet runs a cell that starts with = + - @ (or a tab or CR before
// one), so such cells leave with a leading quote and stay quoted.
test('#17 item 14: the CSV export neutralises cells a spreadsheet would run as formulas', async (t) => {
  const own = await startTestServer(t);
  await own.make.user({ email: 'boss@example.com', password: 'bosspass', isStaff: true });
  const names: Array<[string, string]> = [['=HYPERLINK("http://evil")', '-1+2'], ['+SUM(A1)', '@cmd'], ['\t=1', '\r=2'], ['Ann-Marie', '=']];
  const made: Array<{ id: number; email: string }> = [];
  for (const [firstName, lastName] of names) made.push(await own.make.user({ firstName, lastName }));
  await own.make.team('sheet', made.map((u) => u.id));
  const res = await fetch(`${own.url}/public_api/users/?format=csv&teams=sheet`, { headers: { authorization: `Basic ${Buffer.from('boss@example.com:bosspass').toString('base64')}` } });
  assert.equal(res.status, 200);
  const cells = (await res.text()).split('\r\n').slice(1, -1).map((line, i) => line.slice(`${made[i].id},${made[i].email},`.length).split(',,')[0]);
  assert.deepEqual(cells, [
    `"'=HYPERLINK(""http://evil"")","'-1+2"`,
    `"'+SUM(A1)","'@cmd"`,
    `"'\t=1","'\r=2"`,
    `Ann-Marie,"'="`,
  ]);
});
