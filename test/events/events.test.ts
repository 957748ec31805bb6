// #21 the event log through the real doors: sign-ins (ok, failed), a self-registered client at
// /o/applications/register/, an administrator's role grant and superuser flag, each an event in
// GET /api/admin/events with the filters and the cursor the API fixes; the export; who may read.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { before, test } from 'node:test';
import { AdminCaller, type Json } from '../helpers/admin.fixture.ts';
import type { Browser } from '../helpers/cookie-jar.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

const logLines: string[] = [];
const logStream = new Writable({ write(chunk: Buffer, _enc, done) { logLines.push(...chunk.toString().split('\n').filter(Boolean)); done(); } });
let server: TestServer;
let root: AdminCaller;
let rootBrowser: Browser;
let staff: AdminCaller;
let member: AdminCaller;
before(async (t) => {
  // A lock-out after 3 wrong passwords from one IP (no short delay first), for the limit.locked_out event.
  server = await startTestServer(t, { DJAM_LOGIN_RATE_LIMIT: '3', DJAM_LOGIN_DELAY_AFTER: '0', DJAM_LOG_LEVEL: 'info' }, { logStream });
  const su = await server.make.user({ email: 'root@example.com', isStaff: true, isSuperuser: true });
  const st = await server.make.user({ email: 'staff@example.com', isStaff: true });
  const me = await server.make.user({ email: 'member@example.com' });
  rootBrowser = await server.signIn(su.email, su.password);
  root = new AdminCaller(server, { browser: rootBrowser });
  staff = new AdminCaller(server, { browser: await server.signIn(st.email, st.password) });
  member = new AdminCaller(server, { browser: await server.signIn(me.email, me.password) });
});

const items = async (caller: AdminCaller, query: string) => {
  const res = await caller.get(`/events?${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items as Json[];
};

test('#21 sign-ins, a failed one, a self-registered client and an admin role change are events, filtered and paged', async () => {
  const alice = await server.make.user({ email: 'alice@example.com' });
  const browser = server.browser();
  const failed = await browser.fetch('/accounts/login/', { method: 'GET', headers: { 'user-agent': 'EventsTest/1' } });
  assert.equal(failed.status, 200);
  const wrong = await browser.submitForm('/accounts/login/', { username: alice.email, password: 'not it' });
  assert.equal(wrong.status, 200);
  const aliceBrowser = await server.signIn(alice.email, alice.password);
  const registered = await aliceBrowser.submitForm('/o/applications/register/', { name: 'alice-app', client_type: 'confidential', authorization_grant_type: 'client-credentials' });
  assert.equal(registered.status, 303);

  const role = (await root.post('/roles', { name: 'editors' })).body;
  assert.equal((await root.post(`/users/${alice.id}/roles`, { role_id: role.id })).status, 201);
  assert.equal((await root.patch(`/users/${alice.id}`, { is_staff: true })).status, 200);

  const logins = await items(staff, `type=user.login&user_id=${alice.id}`);
  assert.equal(logins.length, 1);
  assert.deepEqual({ ...logins[0], id: 0, time: '', request_id: '' }, {
    id: 0, time: '', request_id: '', type: 'user.login', outcome: 'success', subject: `user:${alice.id}`, user_id: alice.id, client_id: null,
    actor: { kind: 'user', id: String(alice.id), label: alice.email }, ip: '127.0.0.1', user_agent: logins[0].user_agent, changes: { door: 'login-form' },
  });
  assert.match(logins[0].request_id, /^[\w.:-]+$/);
  assert.ok(!Number.isNaN(Date.parse(logins[0].time)));

  const failures = await items(staff, 'type=user.login_failed&outcome=failure&q=alice@');
  assert.equal(failures.length, 1);
  assert.equal(failures[0].actor.label, alice.email);
  assert.deepEqual(failures[0].changes, { door: 'login-form', reason: 'INVALID_CREDENTIALS', cause: 'wrong_password' });
  await browser.submitForm('/accounts/login/', { username: 'nobody@example.com', password: 'x' });
  assert.equal((await items(staff, 'type=user.login_failed&q=nobody@'))[0].changes.cause, 'unknown_user');
  assert.ok(!JSON.stringify(failures).includes('not it'), 'never a password in an event');

  const [client] = await items(staff, 'type=client.created');
  assert.deepEqual([client.actor.kind, client.actor.label, client.changes.after.name], ['user', alice.email, 'alice-app']);
  assert.equal(client.client_id, client.changes.after.clientId ?? client.changes.after.client_id);
  assert.ok(!JSON.stringify(client).match(/secret"?\s*:/i), 'no client secret in the event');

  const [grant] = await items(staff, `type=role.member_added&user_id=${alice.id}`);
  assert.deepEqual([grant.actor.label, grant.changes.after.role], ['root@example.com', 'editors']);
  const [flag] = await items(staff, `type=user.updated&user_id=${alice.id}`);
  assert.deepEqual([flag.changes.before.is_staff, flag.changes.after.is_staff, flag.actor.label], [false, true, 'root@example.com']);

  // Everything about alice, newest first, two at a time: the cursor walks the whole list once.
  const all = await items(staff, `user_id=${alice.id}&limit=100`);
  const seen: number[] = [];
  for (let cursor = ''; ;) {
    const page = (await staff.get(`/events?user_id=${alice.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body;
    seen.push(...page.items.map((e: Json) => e.id));
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  assert.deepEqual(seen, all.map((e) => e.id));
  assert.deepEqual([...seen].sort((a, b) => b - a), seen, 'newest first');
  assert.equal((await items(staff, `ip=10.9.9.9&user_id=${alice.id}`)).length, 0);
  assert.equal((await items(staff, `since=${new Date(Date.now() + 60_000).toISOString()}`)).length, 0);
  assert.equal((await staff.get('/events?cursor=bm90LWEtY3Vyc29y')).body.error, 'VALIDATION_FAILED');

  const tile = await staff.get('/events/failed-sign-ins');
  assert.equal(tile.status, 200, JSON.stringify(tile.body));
  assert.equal(tile.body.hours.length, 24);
  assert.equal(tile.body.total, 2);
  assert.equal(tile.body.hours[23].count, 2, 'this hour, last');
});

test('#21 the export is NDJSON or CSV with the same filters; only staff read the log', async () => {
  const raw = await fetchRaw('/events/export?type=user.login');
  assert.equal(raw.type, 'application/x-ndjson');
  const lines = raw.text.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(lines.length >= 3 && lines.every((e) => e.type === 'user.login'));
  const csv = await fetchRaw('/events/export?format=csv&type=user.login');
  assert.match(csv.type, /^text\/csv/);
  assert.match(csv.text, /^id,time,type,outcome,actor_kind,actor_id,actor_label,subject,/);
  assert.equal(csv.text.trim().split('\r\n').length, lines.length + 1);

  assert.equal((await member.get('/events')).body.error, 'STAFF_REQUIRED');
  assert.equal((await new AdminCaller(server, {}).get('/events')).status, 401);
});

async function fetchRaw(path: string): Promise<{ type: string; text: string }> {
  const res = await rootBrowser.fetch(`/api/admin${path}`);
  assert.equal(res.status, 200);
  return { type: res.headers.get('content-type') ?? '', text: await res.text() };
}

test('#21 the self-service pages are doors too: registration, a password change, a sign-out, a reset request; the account page lists one\'s own sign-ins', async () => {
  const email = 'dora@example.com';
  const password = 'a Fresh passphrase 91';
  const reg = await server.browser().submitForm('/user/register/', { first_name: 'Dora', last_name: 'Explorer', email, secondary_email: '', password1: password, password2: password });
  assert.equal(reg.status, 302);
  const [registered] = await items(staff, `type=user.registered&q=${email}`);
  assert.deepEqual([registered.actor.label, registered.changes.after.email, registered.ip], [email, email, '127.0.0.1']);

  const carl = await server.make.user({ email: 'carl@example.com' });
  const browser = await server.signIn(carl.email, carl.password);
  const account = await (await browser.get('/user/account/')).text();
  assert.match(account, /<h2 id="sign-ins">Recent sign-ins<\/h2>/);
  assert.match(account, /<tr><td><time datetime="[^"]+">[^<]+ UTC<\/time><\/td><td>127\.0\.0\.1<\/td><td>[^<]*<\/td><\/tr>/, 'the user sees their own sign-in');
  assert.equal(account.match(/<tr><td><time/g)?.length, 1, 'only their own');
  const changed = await browser.submitForm('/accounts/password_change/', { old_password: carl.password, new_password1: password, new_password2: password });
  assert.equal(changed.status, 302);
  const [change] = await items(staff, `type=user.password_changed&user_id=${carl.id}`);
  assert.deepEqual([change.actor.label, change.changes], [carl.email, { door: 'self-service' }]);

  await browser.signOut();
  const [out] = await items(staff, `type=user.logout&user_id=${carl.id}`);
  assert.deepEqual([out.actor.label, out.subject], [carl.email, `user:${carl.id}`]);
  assert.equal((await server.browser().submitForm('/accounts/password_reset/', { email: carl.email })).status, 302);
  const [asked] = await items(staff, `type=user.password_reset_requested&user_id=${carl.id}`);
  assert.deepEqual([asked.actor.kind, asked.actor.id, asked.outcome], ['user', '-', 'success']);
  assert.ok(!JSON.stringify([registered, change, asked]).includes(password));
});

test('#21 the wrong password that starts a lock-out is a limit.locked_out event; the refusals after it are not each recorded', async () => {
  const erin = await server.make.user({ email: 'erin@example.com' });
  const attempts = [];
  for (let i = 0; i < 5; i++) attempts.push((await server.browser().submitForm('/accounts/login/', { username: erin.email, password: `guess-${i}` })).status);
  assert.deepEqual(attempts, [200, 200, 200, 429, 429]);
  const [locked, ...more] = await items(staff, 'type=limit.locked_out&q=erin@');
  assert.equal(more.length, 0);
  assert.deepEqual([locked.outcome, locked.actor.label, locked.changes.locks, locked.changes.lockout_seconds], ['failure', erin.email, ['pair'], 900]);
  assert.equal((await items(staff, 'type=user.login_failed&q=erin@')).length, 3, 'the refused attempts checked nothing and are not recorded one by one');
});

test('#21 from the account page a user signs out everywhere else; the event log says so', async () => {
  const frank = await server.make.user({ email: 'frank@example.com' });
  const here = await server.signIn(frank.email, frank.password);
  const elsewhere = await server.signIn(frank.email, frank.password);
  const page = await (await here.get('/user/account/')).text();
  assert.match(page, /<form method="post" action="\/user\/account\/sessions\/end-others\/">/);
  const ended = await here.submitForm('/user/account/', {}, '/user/account/sessions/end-others/');
  assert.equal(ended.status, 302);
  assert.equal(ended.headers.get('location'), `/user/account/${frank.id}/?sessions=ended#sign-ins`);
  assert.match(await (await here.get(ended.headers.get('location')!)).text(), /You are signed out everywhere else\./);
  assert.equal((await elsewhere.get('/user/account/')).status, 302, 'the other session is gone');
  const [event] = await items(staff, `type=user.sessions_ended&user_id=${frank.id}`);
  assert.deepEqual([event.actor.label, event.changes.door], [frank.email, 'account-page']);
  const forged = await server.browser().post('/user/account/sessions/end-others/', {});
  assert.equal(forged.status, 302, 'no session: sent to sign in, nothing ended');
});

test('#21 each event is a line on the events logger, and counted in /metrics by type and outcome', async () => {
  const lines = logLines.map((l) => JSON.parse(l)).filter((l) => l.logger === 'events');
  const failed = lines.find((l) => l.event?.type === 'user.login_failed' && l.event.actor.label === 'alice@example.com');
  assert.ok(failed, 'a failed sign-in line');
  assert.deepEqual([failed.msg, failed.event.outcome, failed.event.ip, failed.event.changes.cause], ['event', 'failure', '127.0.0.1', 'wrong_password']);
  assert.ok(!logLines.some((l) => l.includes('not it') || l.includes('a Fresh passphrase 91')), 'no password in any log line');
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /^djam_events_total\{type="user\.login_failed",outcome="failure"\} [1-9]\d*$/m);
  assert.match(metrics, /^djam_events_total\{type="user\.login",outcome="success"\} [1-9]\d*$/m);
});
