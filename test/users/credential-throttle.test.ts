// #17 items 1 and 10: one credential throttle shared by every door that checks a password or a
// key. DJAM_LOGIN_RATE_LIMIT is 3 here; each test comes from its own client IP (X-Forwarded-For
// from the trusted loopback peer), so the per-IP counts of one test do not reach another.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, test } from 'node:test';
import { afterOf, startTestServer, type TestServer } from '../helpers/start-server.ts';
import { startUpstream } from '../helpers/upstream.ts';

const PAIR_LIMIT = 3;
const IP_LIMIT = 10;
const RATE_LIMITED = 'Too many attempts. Wait a few minutes and try again.';

interface Person { id: number; email: string; password: string }

let server: TestServer;
let serviceId: number;
let ipCount = 0;

before(async (t) => {
  const upstream = await startUpstream();
  server = await startTestServer(t, {
    DJAM_LOGIN_RATE_LIMIT: String(PAIR_LIMIT), DJAM_KEY_CHECK_RATE_LIMIT: String(IP_LIMIT), DJAM_TRUST_PROXY: 'loopback',
  });
  afterOf(t)(() => upstream.close()); // after the server's own teardown, as before
  serviceId = (await server.make.resource({ slug: 'up', type: 'Upstream Service', url: `${upstream.origin}/echo` })).id;
});

/** A fresh client address for each test (TEST-NET-3). */
function newIp(): string {
  ipCount += 1;
  return `203.0.113.${ipCount}`;
}

/** A staff user (for the staff-only DRF endpoints) who may use the proxied service `up`. */
async function newPerson(): Promise<Person> {
  const user = await server.make.user({ isStaff: true });
  const role = await server.make.role(`reader-${user.id}`, { userIds: [user.id] });
  await server.make.rule(serviceId, role.id, true);
  return user;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const basic = (email: string, password: string) => `Basic ${b64(`${email}:${password}`)}`;

function get(path: string, ip: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, { headers: { 'x-forwarded-for': ip, ...headers }, redirect: 'manual' });
}

/** The sign-in form as a browser at `ip` submits it. */
async function signIn(email: string, password: string, ip: string): Promise<Response> {
  const browser = server.browser();
  const page = await browser.get('/accounts/login/', { 'x-forwarded-for': ip });
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(await page.text())?.[1];
  assert.ok(token, 'the login form carries a CSRF token');
  return browser.post('/accounts/login/', { csrfmiddlewaretoken: token, username: email, password }, { 'x-forwarded-for': ip });
}

function assertRetryAfter(res: Response, what: string): void {
  assert.equal(res.status, 429, what);
  const seconds = Number(res.headers.get('retry-after'));
  assert.ok(Number.isInteger(seconds) && seconds > 0, `${what}: Retry-After ${res.headers.get('retry-after')}`);
}

/** Every door that takes a password: how to knock with one, and the refusal a wrong one gets. */
const doors: Array<{ name: string; wrongStatus: number; knock: (p: Person, password: string, ip: string) => Promise<Response> }> = [
  { name: 'the proxy (Basic)', wrongStatus: 403, knock: (p, pw, ip) => get('/service/up/', ip, { authorization: basic(p.email, pw) }) },
  { name: 'GeoServer users (Basic)', wrongStatus: 403, knock: (p, pw, ip) => get('/api/privilege/geoserver/users', ip, { authorization: basic(p.email, pw) }) },
  { name: 'the users export (Basic)', wrongStatus: 403, knock: (p, pw, ip) => get('/public_api/users/', ip, { authorization: basic(p.email, pw) }) },
  { name: 'the privilege API (Basic)', wrongStatus: 403, knock: (p, pw, ip) => get('/api/privilege/groups/', ip, { authorization: basic(p.email, pw) }) },
  { name: 'credentials introspection', wrongStatus: 401, knock: (p, pw, ip) => get(`/openid/credentials/introspect/?u=${b64(p.email)}&p=${b64(pw)}`, ip) },
];

for (const door of doors) {
  test(`#17 item 1: after ${PAIR_LIMIT} wrong passwords at ${door.name}, the right one is refused with 429`, async () => {
    const person = await newPerson();
    const ip = newIp();
    assert.equal((await door.knock(person, person.password, ip)).status, 200, 'the right password works at first');
    for (let i = 0; i < PAIR_LIMIT; i++) assert.equal((await door.knock(person, `wrong-${i}`, ip)).status, door.wrongStatus, `wrong password ${i + 1}`);
    const refused = await door.knock(person, person.password, ip);
    assertRetryAfter(refused, 'the right password after the limit');
    if (door.name !== 'the proxy (Basic)') {
      assert.match(((await refused.json()) as { detail: string }).detail, /^Request was throttled\. Expected available in \d+ seconds\.$/);
    }
  });
}

test('#17 item 1: wrong passwords at one door count at the others', async () => {
  const person = await newPerson();
  const ip = newIp();
  for (let i = 0; i < PAIR_LIMIT; i++) assert.equal((await doors[0].knock(person, `wrong-${i}`, ip)).status, 403);
  const refused = await signIn(person.email, person.password, ip);
  assertRetryAfter(refused, 'the login form after wrong passwords at the proxy');
  const page = await refused.text();
  assert.ok(page.includes(RATE_LIMITED), 'the form says why');
  assert.match(page, /name="csrfmiddlewaretoken"/, 'and is shown again');
  assertRetryAfter(await doors[4].knock(person, person.password, ip), 'credentials introspection, same account and IP');
});

test('#17 review: another spelling of the address the database folds to the same account shares its counter', async () => {
  const person = await newPerson();
  const ip = newIp();
  for (let i = 0; i < PAIR_LIMIT; i++) assert.equal((await doors[2].knock(person, `wrong-${i}`, ip)).status, 403);
  // The database's lower() reads a dotted capital I as i; JavaScript's adds a combining dot.
  const spelled = person.email.replace(/i/, '\u0130').toUpperCase();
  assertRetryAfter(await doors[2].knock({ ...person, email: spelled }, person.password, ip), 'the right password under another spelling');
});

test('#17 item 1: right passwords never add up', async () => {
  const person = await newPerson();
  const ip = newIp();
  for (let i = 0; i < PAIR_LIMIT + IP_LIMIT; i++) assert.equal((await doors[0].knock(person, person.password, ip)).status, 200, `request ${i + 1}`);
});

test('#17 item 1 (concurrency): of 20 concurrent wrong passwords, only DJAM_LOGIN_RATE_LIMIT are checked', async () => {
  const person = await newPerson();
  const ip = newIp();
  const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => doors[0].knock(person, `wrong-${i}`, ip)));
  const statuses = answers.map((res) => res.status);
  assert.equal(statuses.filter((s) => s !== 429).length, PAIR_LIMIT, `statuses: ${statuses.join(',')}`);
  assert.ok(statuses.every((s) => s === 403 || s === 429), `statuses: ${statuses.join(',')}`);
});

test('#17 item 10: a guesser at one IP does not lock the owner out elsewhere, and a success clears the count', async () => {
  const person = await newPerson();
  const [attacker, owner] = [newIp(), newIp()];
  for (let i = 0; i < PAIR_LIMIT; i++) assert.equal((await signIn(person.email, `wrong-${i}`, attacker)).status, 200);
  assert.equal((await signIn(person.email, person.password, owner)).status, 302, 'the owner signs in from another IP');
  assertRetryAfter(await signIn(person.email, person.password, attacker), 'the attacker, even with the right password');
  for (let i = 0; i < PAIR_LIMIT - 1; i++) assert.equal((await signIn(person.email, `typo-${i}`, owner)).status, 200);
  assert.equal((await signIn(person.email.toUpperCase(), person.password, owner)).status, 302, 'the owner again, after typos');
  for (let i = 0; i < PAIR_LIMIT; i++) {
    assert.equal((await signIn(person.email, `typo-again-${i}`, owner)).status, 200, `the success cleared the count: typo ${i + 1} is checked`);
  }
  assertRetryAfter(await signIn(person.email, person.password, owner), 'and the limit applies again from there');
});

test('key guessing: after DJAM_KEY_CHECK_RATE_LIMIT wrong ?authkey= at the proxy, a good key from that IP is refused', async () => {
  const person = await newPerson();
  const { key } = await server.make.apiKey(person.id, 'resource');
  const ip = newIp();
  assert.equal((await get(`/service/up/?authkey=${key}`, ip)).status, 200, 'the key works at first');
  for (let i = 0; i < IP_LIMIT; i++) assert.equal((await get(`/service/up/?authkey=${randomUUID()}`, ip)).status, 403, `guess ${i + 1}`);
  assertRetryAfter(await get(`/service/up/?authkey=${key}`, ip), 'the good key after the guesses');
  assert.equal((await get(`/service/up/?authkey=${key}`, newIp())).status, 200, 'another IP is not affected');
});

test('#17 item 10: the per-account limit across IPs is DJAM_LOGIN_ACCOUNT_RATE_LIMIT', async (t) => {
  const own = await startTestServer(t, { DJAM_LOGIN_RATE_LIMIT: '3', DJAM_LOGIN_ACCOUNT_RATE_LIMIT: '4', DJAM_TRUST_PROXY: 'loopback' });
  const user = await own.make.user();
  const knock = (password: string, ip: string) =>
    fetch(`${own.url}/openid/credentials/introspect/?u=${b64(user.email)}&p=${b64(password)}`, { headers: { 'x-forwarded-for': ip } });
  for (const ip of ['198.51.100.1', '198.51.100.1', '198.51.100.2', '198.51.100.3']) assert.equal((await knock('wrong', ip)).status, 401);
  assertRetryAfter(await knock(user.password, '198.51.100.4'), 'a fifth IP after four failures for the account');
});
