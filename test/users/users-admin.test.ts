// /api/admin/users: search, paging, create, bad input, flags, passwords, e-mail confirmation,
// (de)activation, memberships, and the audit entries all of it leaves.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { startAdminFixture, type AdminFixture } from '../helpers/admin.fixture.ts';

let F: AdminFixture;
before(async (t) => { F = await startAdminFixture(t); });

const PASSWORD = 'Correct-horse-battery-9';

describe('admin users', () => {
  test('lists with paging, sorting, flag filters and search by e-mail and name', async () => {
    await F.server.make.user({ email: 'ann.search@example.com', firstName: 'Annabel', lastName: 'Zed' });
    await F.server.make.user({ email: 'bob.search@example.com', firstName: 'Bob', lastName: 'Annerby', isActive: false });
    const byEmail = await F.staff.get('/users?search=ANN.SEARCH');
    assert.deepEqual(byEmail.body.items.map((u: { email: string }) => u.email), ['ann.search@example.com']);
    const byName = await F.staff.get('/users?search=ann&sort=-email');
    assert.deepEqual(byName.body.items.map((u: { email: string }) => u.email), ['bob.search@example.com', 'ann.search@example.com']);
    const inactive = await F.staff.get('/users?is_active=false');
    assert.deepEqual(inactive.body.items.map((u: { email: string }) => u.email), ['bob.search@example.com']);
    const staff = await F.staff.get('/users?is_staff=true&sort=email');
    assert.deepEqual(staff.body.items.map((u: { email: string }) => u.email), ['root@example.com', 'staff@example.com']);
    const paged = await F.staff.get('/users?page=2&page_size=2&sort=id');
    assert.equal(paged.body.page, 2);
    assert.equal(paged.body.pageSize, 2);
    assert.equal(paged.body.items.length, 2);
    assert.equal(paged.body.total, 5);
    assert.doesNotMatch(JSON.stringify(paged.body), /"password"/);
    for (const bad of ['page=0', 'page_size=1000', 'sort=password', 'is_active=maybe']) {
      const res = await F.staff.get(`/users?${bad}`);
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.error, 'VALIDATION_FAILED', bad);
    }
  });

  test('creates a user; bad input is a 400 naming the field, and nothing is written', async () => {
    const bad: Array<[unknown, string]> = [
      [{}, 'email'],
      [{ email: 'not-an-address' }, 'email'],
      [{ email: 'x@example.com', first_name: 'x'.repeat(151) }, 'first_name'],
      [{ email: 'x@example.com', is_active: 'yes please' }, 'is_active'],
      [{ email: 'x@example.com', password: 'short' }, 'password'],
    ];
    for (const [body, field] of bad) {
      const res = await F.staff.post('/users', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error, 'VALIDATION_FAILED');
      assert.ok(res.body.details.fields[field], `${JSON.stringify(body)}: ${JSON.stringify(res.body.details)}`);
    }
    assert.equal((await F.staff.get('/users?search=x@example.com')).body.total, 0);
    const created = await F.staff.post('/users', { email: 'New.Person@Example.COM', password: PASSWORD, first_name: 'New', email_confirmed: true });
    assert.equal(created.status, 201);
    assert.equal(created.body.email, 'New.Person@example.com');
    assert.equal(created.body.is_staff, false);
    assert.equal(created.body.has_usable_password, true);
    const again = await F.staff.post('/users', { email: 'new.person@example.com' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error, 'EMAIL_TAKEN');
    const browser = await F.server.signIn('New.Person@example.com', PASSWORD);
    assert.ok(browser.cookie('djam_sessionid'));
  });

  test('gets a user with teams and roles; unknown ids are 404 USER_NOT_FOUND, malformed ones 400', async () => {
    assert.equal((await F.staff.get('/users/99999')).body.error, 'USER_NOT_FOUND');
    assert.equal((await F.staff.get('/users/abc')).status, 400);
    const res = await F.staff.get(`/users/${F.ids.member}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.email, 'member@example.com');
    assert.deepEqual(res.body.teams, []);
    assert.deepEqual(res.body.roles, []);
  });

  test('sets a password (checked by the profile\'s rules), confirms e-mail, deactivates and activates', async () => {
    const u = await F.server.make.user({ email: 'flags@example.com', emailConfirmed: false });
    const session = await F.server.signIn(u.email, u.password).catch(() => undefined);
    assert.equal(session, undefined, 'an unconfirmed user cannot sign in');
    const confirmed = await F.machine.post(`/users/${u.id}/confirm-email`);
    assert.equal(confirmed.status, 200);
    assert.equal(confirmed.body.email_confirmed, true);
    const weak = await F.staff.put(`/users/${u.id}/password`, { password: 'short1' });
    assert.equal(weak.status, 400);
    assert.ok(weak.body.details.fields.password);
    assert.equal((await F.staff.put(`/users/${u.id}/password`, {})).status, 400);
    assert.equal((await F.staff.put(`/users/${u.id}/password`, { password: PASSWORD })).status, 204);
    const browser = await F.server.signIn(u.email, PASSWORD);
    const off = await F.staff.post(`/users/${u.id}/deactivate`);
    assert.equal(off.body.is_active, false);
    // Deactivation ends the user's sessions.
    const page = await browser.get('/user/account/');
    assert.equal(page.status, 302);
    await assert.rejects(F.server.signIn(u.email, PASSWORD));
    const on = await F.staff.post(`/users/${u.id}/activate`);
    assert.equal(on.body.is_active, true);
    await F.server.signIn(u.email, PASSWORD);
    const patched = await F.staff.patch(`/users/${u.id}`, { first_name: 'Flag', last_name: 'Bearer', email: 'flag.bearer@example.com' });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.username, 'flag.bearer@example.com');
    assert.equal((await F.staff.patch(`/users/${u.id}`, {})).status, 400);
    assert.equal((await F.staff.patch(`/users/${u.id}`, { email: 'staff@example.com' })).status, 409);
    assert.equal((await F.staff.get(`/users/${u.id}`)).body.email, 'flag.bearer@example.com');
  });

  test('#18 resetting a password keeps it until the mailed link is used', async () => {
    const u = await F.server.make.user({ email: 'reset.me@example.com' });
    const res = await F.staff.post(`/users/${u.id}/password-reset`);
    assert.equal(res.status, 204);
    assert.equal((await F.staff.get(`/users/${u.id}`)).body.has_usable_password, true);
    await F.server.signIn(u.email, u.password);
    const jobs = await F.staff.get('/jobs?type=mail.send');
    assert.ok(jobs.body.items.some((j: { summary: { to?: string } }) => j.summary.to === 'reset.me@example.com'));
    assert.doesNotMatch(JSON.stringify(jobs.body), /accounts\/reset/, 'the one-time link is not shown');
  });

  test('adds and removes team and role memberships', async () => {
    const u = await F.server.make.user({ email: 'joiner@example.com' });
    const team = await F.server.make.team('Joinable');
    const role = await F.server.make.role('editor');
    const joined = await F.staff.post(`/users/${u.id}/teams`, { team_id: team.id });
    assert.equal(joined.status, 201);
    assert.deepEqual(joined.body.teams, [{ id: team.id, name: 'Joinable' }]);
    assert.equal((await F.staff.post(`/users/${u.id}/teams`, { team_id: 99999 })).body.error, 'TEAM_NOT_FOUND');
    assert.equal((await F.staff.post(`/users/${u.id}/teams`, { team_id: 'x' })).status, 400);
    const granted = await F.staff.post(`/users/${u.id}/roles`, { role_id: role.id });
    assert.deepEqual(granted.body.roles, [{ id: role.id, name: 'editor' }]);
    const detail = await F.staff.get(`/users/${u.id}`);
    assert.deepEqual(detail.body.teams.map((t: { name: string }) => t.name), ['Joinable']);
    const left = await F.staff.delete(`/users/${u.id}/teams/${team.id}`);
    assert.deepEqual(left.body.teams, []);
    const revoked = await F.staff.delete(`/users/${u.id}/roles/${role.id}`);
    assert.deepEqual(revoked.body.roles, []);
  });

  test('every change is in the audit log: who, what, when, before and after, without secrets', async () => {
    const u = await F.server.make.user({ email: 'audited@example.com' });
    await F.staff.patch(`/users/${u.id}`, { first_name: 'Audited' });
    await F.machine.put(`/users/${u.id}/password`, { password: PASSWORD });
    const log = await F.superuser.get(`/audit-log?entity_type=user&entity_id=${u.id}`);
    assert.equal(log.status, 200);
    const [password, update] = log.body.items;
    assert.equal(update.action, 'user.update');
    assert.equal(update.actor_type, 'user');
    assert.equal(update.actor_label, 'staff@example.com');
    assert.equal(update.before.first_name, 'Test');
    assert.equal(update.after.first_name, 'Audited');
    assert.ok(Date.parse(update.created_at) > Date.now() - 60_000);
    assert.equal(password.action, 'user.set-password');
    assert.equal(password.actor_type, 'client');
    assert.equal(password.actor_label, 'robot');
    const all = await F.superuser.get('/audit-log?page_size=200');
    assert.doesNotMatch(JSON.stringify(all.body), /pbkdf2|argon2|Correct-horse/);
  });

  test('deletes a user', async () => {
    const u = await F.server.make.user({ email: 'gone@example.com' });
    assert.equal((await F.staff.delete(`/users/${u.id}`)).status, 204);
    assert.equal((await F.staff.get(`/users/${u.id}`)).status, 404);
    assert.equal((await F.staff.delete(`/users/${u.id}`)).status, 404);
  });
});
