// #22 policy over real HTTP: what administrators see and reset, teams that require MFA, the doors
// that take only a password, and the admin API's refusal of a password-only session.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';
import { codeFor, mfaHelpers } from './mfa.fixture.ts';

let server: TestServer;
let h: ReturnType<typeof mfaHelpers>;
before(async (t) => {
  server = await startTestServer(t);
  h = mfaHelpers(server);
});

describe('#22 policy', () => {
  test('#22 an administrator\'s password-only session stops reaching the admin API once they have a second factor; a new sign-in through the second step does', async () => {
    const staff = await server.make.user({ isStaff: true });
    const old = await server.signIn(staff.email, staff.password);
    assert.equal((await old.get('/api/admin/session', { accept: 'application/json' })).status, 200);
    const { secret } = await h.enrolTotp(await server.signIn(staff.email, staff.password));
    const refused = await old.get('/api/admin/session', { accept: 'application/json' });
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { error: string }).error, 'MFA_REQUIRED');
    const fresh = server.browser();
    const verify = (await h.signInWithPassword(fresh, staff)).headers.get('location')!;
    assert.equal((await h.submitCode(fresh, verify, codeFor(secret, 1))).status, 302);
    assert.equal((await fresh.get('/api/admin/session', { accept: 'application/json' })).status, 200);
  });

  test('#22 Basic-auth doors refuse a user with a second factor, saying why: the DRF endpoints and GeoServer\'s credentials introspection', async () => {
    const user = await server.make.user();
    await h.enrolTotp(await server.signIn(user.email, user.password));
    const basic = `Basic ${Buffer.from(`${user.email}:${user.password}`).toString('base64')}`;
    const groups = await fetch(`${server.url}/api/privilege/groups/`, { headers: { authorization: basic, accept: 'application/json' } });
    assert.equal(groups.status, 403);
    assert.match(((await groups.json()) as { detail: string }).detail, /second factor/);
    const b64 = (v: string) => encodeURIComponent(Buffer.from(v).toString('base64'));
    const introspected = await fetch(`${server.url}/openid/credentials/introspect/?u=${b64(user.username)}&p=${b64(user.password)}`, { headers: { accept: 'application/json' } });
    assert.equal(introspected.status, 403);
    assert.match(JSON.stringify(await introspected.json()), /^\{"username":null,"groups":null,"detail":"[^"]*API key/);
    const other = await server.make.user();
    const plain = await fetch(`${server.url}/api/privilege/groups/`, { headers: { authorization: `Basic ${Buffer.from(`${other.email}:${other.password}`).toString('base64')}`, accept: 'application/json' } });
    assert.equal(plain.status, 200, 'a user without a factor still may');
  });

  test('#22 an administrator sees a user\'s factors and resets them: the user signs in with the password alone again (and the reset is audited)', async () => {
    const user = await server.make.user();
    await h.enrolTotp(await server.signIn(user.email, user.password));
    const staff = await h.adminCaller();
    const seen = await (await staff('GET', `/api/admin/users/${user.id}/mfa`)).json() as { factors: Array<{ kind: string }>; unused_recovery_codes: number; required: boolean };
    assert.deepEqual(seen.factors.map((f) => f.kind), ['totp']);
    assert.equal(seen.unused_recovery_codes, 10);
    assert.equal(seen.required, false);
    const member = server.browser();
    await h.signInWithPassword(member, (await server.make.user()));
    const refused = await member.fetch(`/api/admin/users/${user.id}/mfa/reset`, { method: 'POST', headers: { 'x-csrftoken': member.cookie('XSRF-TOKEN')! } });
    assert.equal(refused.status, 403, 'a plain user cannot reset anyone\'s factors');
    const reset = await staff('POST', `/api/admin/users/${user.id}/mfa/reset`);
    assert.deepEqual(await reset.json(), { removed_factors: 1 });
    assert.equal((await h.signInWithPassword(server.browser(), user)).headers.get('location'), `/user/account/edit/${user.id}/`);
    const [audit] = (await server.database.db.execute(sql`select count(*)::int as n from audit_log where action = 'mfa.reset' and entity_id = ${String(user.id)}`) as unknown as { rows: Array<{ n: number }> }).rows;
    assert.equal(audit.n, 1);
    const types = (await server.database.db.execute(sql`select type from events where user_id = ${user.id} and type like 'user.mfa_%' order by id`) as unknown as { rows: Array<{ type: string }> }).rows.map((r) => r.type);
    assert.deepEqual(types, ['user.mfa_enrolled', 'user.mfa_recovery_codes_generated', 'user.mfa_reset'], 'and in the event log (#21)');
  });

  test('#22 a team that requires MFA takes its member to enrolment right after the password, then where they were going', async () => {
    const user = await server.make.user();
    const team = await server.make.team(`mfa-team-${user.id}`, [user.id]);
    const staff = await h.adminCaller();
    assert.deepEqual(await (await staff('PUT', `/api/admin/teams/${team.id}/mfa`, { requires_mfa: true })).json(), { requires_mfa: true });
    assert.equal((await (await staff('GET', `/api/admin/users/${user.id}/mfa`)).json() as { required: boolean }).required, true);
    const browser = server.browser();
    const res = await h.signInWithPassword(browser, user, '/o/applications/');
    assert.equal(res.headers.get('location'), `/accounts/security/totp/?next=${encodeURIComponent('/o/applications/')}`);
    assert.equal(browser.cookie('djam_sessionid'), undefined, 'no session until a factor is enrolled');
    assert.equal((await browser.get('/accounts/security/')).status, 302, 'nothing else is reachable meanwhile');
    const { landed } = await h.enrolTotp(browser, res.headers.get('location')!);
    assert.match(landed, /href="\/o\/applications\/"/, 'then back to where they were going');
    assert.ok(browser.cookie('djam_sessionid'));
  });
});
