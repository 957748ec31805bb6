// #20: the progressive brute-force lock-out, as clients and administrators see it. A short delay
// first (more than DJAM_LOGIN_DELAY_AFTER attempts a minute), then a lock-out window after
// DJAM_LOGIN_RATE_LIMIT failures; during it the owner's right password is refused exactly like a
// wrong one; an administrator who may manage the user sees "locked until" and lifts it (audited),
// others get 403. Each test comes from its own client IP (X-Forwarded-For from the trusted
// loopback peer), so the per-IP counts of one test do not reach another.
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { before, test } from 'node:test';
import { AdminCaller } from '../helpers/admin.fixture.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

const PAIR_LIMIT = 4;
const DELAY_AFTER = 3;
// Longer than the 15-minute counting window, so that the lock-out's own length shows.
const LOCKOUT_SECONDS = 1200;
const RATE_LIMITED = 'Too many attempts. Wait a few minutes and try again.';
const REDIS_URL = 'redis://127.0.0.1:6379/0';

let server: TestServer;
let superuser: AdminCaller;
let staff: AdminCaller;
let member: AdminCaller;
let ipCount = 0;

const env = (extra: Record<string, string> = {}) => ({
  DJAM_LOGIN_RATE_LIMIT: String(PAIR_LIMIT), DJAM_LOGIN_DELAY_AFTER: '0', DJAM_LOGIN_LOCKOUT_SECONDS: String(LOCKOUT_SECONDS),
  DJAM_KEY_CHECK_RATE_LIMIT: '1000', DJAM_TRUST_PROXY: 'loopback', ...extra,
});

before(async (t) => {
  server = await startTestServer(t, env());
  const su = await server.make.user({ isStaff: true, isSuperuser: true });
  const st = await server.make.user({ isStaff: true });
  const me = await server.make.user();
  superuser = new AdminCaller(server, { browser: await server.signIn(su.email, su.password) });
  staff = new AdminCaller(server, { browser: await server.signIn(st.email, st.password) });
  member = new AdminCaller(server, { browser: await server.signIn(me.email, me.password) });
});

/** A fresh client address for each test (TEST-NET-2). */
function newIp(): string {
  ipCount += 1;
  return `198.51.100.${ipCount}`;
}

/** The sign-in form as a browser at `ip` submits it. */
async function signIn(on: TestServer, email: string, password: string, ip: string): Promise<Response> {
  const browser = on.browser();
  const page = await browser.get('/accounts/login/', { 'x-forwarded-for': ip });
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(await page.text())?.[1];
  assert.ok(token, 'the login form carries a CSRF token');
  return browser.post('/accounts/login/', { csrfmiddlewaretoken: token, username: email, password }, { 'x-forwarded-for': ip });
}

/** A DJAM door taking HTTP Basic (the staff-only users export); the e-mail as it is, not form-encoded as OAuth clients' ids. */
const basicDoor = (on: TestServer, email: string, password: string, ip: string) =>
  fetch(`${on.url}/public_api/users/`, { headers: { authorization: `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`, 'x-forwarded-for': ip } });

function retryAfter(res: Response, what: string): number {
  assert.equal(res.status, 429, what);
  const seconds = Number(res.headers.get('retry-after'));
  assert.ok(Number.isInteger(seconds) && seconds > 0, `${what}: Retry-After ${res.headers.get('retry-after')}`);
  return seconds;
}

/** A page without what changes from one rendering to the next: the CSRF token, in the form and on the passkey button. */
const stable = (page: string) => page.replace(/(value|data-csrf)="[^"]{20,}"/g, '$1="…"');

async function lockOut(on: TestServer, email: string, ip: string): Promise<void> {
  for (let i = 0; i < PAIR_LIMIT; i++) assert.equal((await signIn(on, email, `wrong-${i}`, ip)).status, 200, `wrong password ${i + 1} is checked`);
}

test('#20 lock-out: after DJAM_LOGIN_RATE_LIMIT failures the login page answers 429 with Retry-After, the form and the message, for a wrong and the right password alike', async () => {
  const user = await server.make.user();
  const ip = newIp();
  await lockOut(server, user.email, ip);
  const wrong = await signIn(server, user.email, 'wrong-again', ip);
  const right = await signIn(server, user.email, user.password, ip);
  const [wrongWait, rightWait] = [retryAfter(wrong, 'a wrong password'), retryAfter(right, 'the owner\'s right password')];
  assert.ok(Math.abs(wrongWait - rightWait) <= 1 && rightWait > LOCKOUT_SECONDS - 30, `the lock-out window (${wrongWait}, ${rightWait})`);
  const [wrongPage, rightPage] = [await wrong.text(), await right.text()];
  assert.ok(rightPage.includes(RATE_LIMITED) && /name="csrfmiddlewaretoken"/.test(rightPage), 'the form again, with the message');
  assert.equal(stable(rightPage), stable(wrongPage), 'no oracle: the right password gets the very page a wrong one gets');
  assert.equal(right.headers.get('set-cookie')?.includes('djam_sessionid') ?? false, false, 'and no session');
});

test('#20 lock-out at a DJAM Basic door: 429, Retry-After and DRF\'s throttled detail, the right password included', async () => {
  const user = await server.make.user({ isStaff: true });
  const ip = newIp();
  for (let i = 0; i < PAIR_LIMIT; i++) assert.equal((await basicDoor(server, user.email, `wrong-${i}`, ip)).status, 403);
  for (const password of ['wrong', user.password]) {
    const res = await basicDoor(server, user.email, password, ip);
    retryAfter(res, password === 'wrong' ? 'a wrong password' : 'the right password');
    assert.match(((await res.json()) as { detail: string }).detail, /^Request was throttled\. Expected available in \d+ seconds\.$/);
  }
  assert.equal((await basicDoor(server, user.email, user.password, newIp())).status, 200, 'the owner from another IP is not locked out');
});

test('#20 short delay: past DJAM_LOGIN_DELAY_AFTER quick attempts the next waits for the rest of the minute (429, Retry-After at most 60), before any lock-out', async (t) => {
  const own = await startTestServer(t, env({ DJAM_LOGIN_DELAY_AFTER: String(DELAY_AFTER), DJAM_LOGIN_RATE_LIMIT: '10' }));
  const user = await own.make.user();
  const ip = newIp();
  for (let i = 0; i < DELAY_AFTER; i++) assert.equal((await signIn(own, user.email, `wrong-${i}`, ip)).status, 200);
  const delayed = await signIn(own, user.email, user.password, ip);
  const wait = retryAfter(delayed, 'the attempt past the quick ones');
  assert.ok(wait <= 60, `a short delay, not the lock-out: ${wait} s`);
  assert.ok((await delayed.text()).includes(RATE_LIMITED));
  assert.equal((await signIn(own, user.email, user.password, newIp())).status, 302, 'the delay is per account and IP');
});

test('#20 admin: the user detail shows locked_until; staff lift a plain user\'s lock-out, not an administrator\'s (403), members not at all; the lift is audited and the owner signs in again', async () => {
  const user = await server.make.user();
  const admin = await server.make.user({ isStaff: true });
  const ip = newIp();
  assert.equal((await superuser.get(`/users/${user.id}`)).body.locked_until, null, 'not locked at first');
  await lockOut(server, user.email, ip);
  await lockOut(server, admin.email, ip);

  const detail = await staff.get(`/users/${user.id}`);
  assert.equal(detail.status, 200);
  const until = Date.parse(detail.body.locked_until as string);
  assert.ok(until > Date.now() + (LOCKOUT_SECONDS - 30) * 1000 && until <= Date.now() + (LOCKOUT_SECONDS + 5) * 1000, `locked_until ${detail.body.locked_until}`);

  const byMember = await member.post(`/users/${user.id}/unlock`);
  assert.equal(byMember.status, 403);
  assert.equal(byMember.body.error, 'STAFF_REQUIRED');
  const onAdmin = await staff.post(`/users/${admin.id}/unlock`);
  assert.equal(onAdmin.status, 403, 'staff may not unlock another administrator');
  assert.equal(onAdmin.body.error, 'SUPERUSER_REQUIRED');
  retryAfter(await signIn(server, admin.email, admin.password, ip), 'the refused unlock lifted nothing');

  const lifted = await staff.post(`/users/${user.id}/unlock`);
  assert.equal(lifted.status, 200);
  assert.ok(Math.abs(Date.parse(lifted.body.was_locked_until as string) - until) < 5000, `the answer says what was lifted: ${lifted.body.was_locked_until}`);
  assert.equal((await superuser.get(`/users/${user.id}`)).body.locked_until, null);
  assert.equal((await signIn(server, user.email, user.password, ip)).status, 302, 'the owner signs in from the locked IP');

  const audit = await superuser.get(`/audit-log?action=user.unlock&entity_type=user&entity_id=${user.id}`);
  assert.equal(audit.status, 200);
  const entries = audit.body.items as Array<{ entity_id: string; before: { lockedUntil: string | null } }>;
  assert.equal(entries.filter((e) => e.entity_id === String(user.id)).length, 1, JSON.stringify(audit.body));
  assert.ok(entries[0].before.lockedUntil, 'the entry keeps the lock that was lifted');

  assert.equal((await superuser.post(`/users/${admin.id}/unlock`)).status, 200, 'a superuser unlocks an administrator');
  assert.equal((await signIn(server, admin.email, admin.password, ip)).status, 302);
});

test('#20 the forms that send e-mail answer their 429 with Retry-After too', async (t) => {
  const own = await startTestServer(t, env({ DJAM_ACCOUNT_MAIL_RATE_LIMIT: '1' }));
  const ask = () => own.browser().submitForm('/accounts/password_reset/', { email: 'nobody@example.com' });
  const first = await ask();
  assert.equal(first.status, 302);
  const refused = await ask();
  retryAfter(refused, 'the second reset request for one address');
  assert.ok((await refused.text()).includes(RATE_LIMITED));
});

test('#20 with DJAM_REDIS_URL the counters live in Redis (the lock-out holds, the database table stays empty)', async (t) => {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  const reachable = await redis.connect().then(() => true, () => false);
  if (!reachable) {
    redis.disconnect();
    t.skip(`no Redis at ${REDIS_URL}`);
    return;
  }
  t.after(() => redis.quit().then(() => undefined));
  const own = await startTestServer(t, env({ DJAM_REDIS_URL: REDIS_URL }));
  const user = await own.make.user();
  const ip = newIp();
  await lockOut(own, user.email, ip);
  retryAfter(await signIn(own, user.email, user.password, ip), 'locked out through the Redis store');
  const keys = await redis.keys(`djam-throttle:pair:${user.email.toLowerCase()} *`);
  assert.equal(keys.length, 1, `one pair counter in Redis: ${keys.join(', ')}`);
  const rows = await own.database.db.execute(sql`select count(*)::int as n from throttle_counters`);
  assert.equal(Number((rows as unknown as { rows: Array<{ n: number }> }).rows[0].n), 0, 'nothing counted in the database');
  // An administrator lifts it there too.
  const su = await own.make.user({ isStaff: true, isSuperuser: true });
  const admin = new AdminCaller(own, { browser: await own.signIn(su.email, su.password) });
  assert.ok((await admin.get(`/users/${user.id}`)).body.locked_until);
  assert.equal((await admin.post(`/users/${user.id}/unlock`)).status, 200);
  assert.equal((await redis.keys(`djam-throttle:pair:${user.email.toLowerCase()} *`)).length, 0);
  assert.equal((await signIn(own, user.email, user.password, ip)).status, 302);
});

test('#20 with DJAM_REDIS_URL and Redis unreachable, a sign-in is refused with 503 and Retry-After on the form, never checked, never a 500', async (t) => {
  // Port 9 (discard) on loopback: nothing listens, so every command fails at once.
  const own = await startTestServer(t, env({ DJAM_REDIS_URL: 'redis://127.0.0.1:9/0' }));
  const user = await own.make.user();
  const res = await signIn(own, user.email, user.password, newIp());
  assert.equal(res.status, 503);
  assert.ok(Number(res.headers.get('retry-after')) > 0, 'Retry-After says when to come back');
  const page = await res.text();
  assert.match(page, /briefly unavailable/);
  assert.match(page, /name="password"/, 'the form is shown again');
  assert.equal(res.headers.get('set-cookie')?.includes('djam_sessionid=') ?? false, false, 'no session: the password was not checked');
});

test('#20 /openid/token: after DJAM_KEY_CHECK_RATE_LIMIT failed client authentications from an IP, the right secret from it gets 429, Retry-After and OAuth JSON', async (t) => {
  const own = await startTestServer(t, env({ DJAM_KEY_CHECK_RATE_LIMIT: '3' }));
  const { client, clientSecret } = await own.make.client({ grantType: 'client_credentials', redirectUris: [] });
  const ip = newIp();
  const token = (secret: string, from: string) => fetch(`${own.url}/openid/token`, {
    method: 'POST', body: 'grant_type=client_credentials',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': from, authorization: `Basic ${Buffer.from(`${client.clientId}:${secret}`).toString('base64')}` },
  });
  for (let i = 0; i < 3; i++) assert.equal((await token(`wrong-${i}`, ip)).status, 401, `wrong secret ${i + 1}`);
  // The failure is counted once its answer has gone out: the refusal follows within moments.
  let refused: Response | undefined;
  for (let i = 0; i < 40 && !refused; i++) {
    const res = await token(clientSecret!, ip);
    if (res.status === 429) refused = res;
    else await new Promise((r) => setTimeout(r, 25));
  }
  assert.ok(refused, 'the right secret from that IP is refused');
  retryAfter(refused, 'the token endpoint');
  assert.equal(((await refused.json()) as { error: string }).error, 'slow_down');
  assert.equal((await token(clientSecret!, newIp())).status, 200, 'another IP is not affected');
});

test('#20 X-Forwarded-For from a peer that is no trusted proxy does not spread an attacker over fresh counters', async (t) => {
  const own = await startTestServer(t, env({ DJAM_TRUST_PROXY: 'false' }));
  const user = await own.make.user({ isStaff: true });
  for (let i = 0; i < PAIR_LIMIT; i++) assert.equal((await basicDoor(own, user.email, `wrong-${i}`, `203.0.113.${i + 1}`)).status, 403);
  retryAfter(await basicDoor(own, user.email, user.password, '203.0.113.99'), 'a "new" forwarded address from the same untrusted peer');
});
