// #17 items 2, 3, 4 and 13: the ways a signed-in user or a staff member obtained someone else's
// identity, each refused through the door it used.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import type { Browser } from '../helpers/cookie-jar.ts';
import { startAdminFixture, type AdminFixture } from '../helpers/admin.fixture.ts';

const CALLBACK = 'http://127.0.0.1:8000/cb';

let F: AdminFixture;
before(async (t) => { F = await startAdminFixture(t); });

/** A browser of a fresh user with the given flags, signed in. */
async function signedIn(flags: { isStaff?: boolean; isSuperuser?: boolean } = {}): Promise<{ browser: Browser; id: number }> {
  const u = await F.server.make.user(flags);
  return { browser: await F.server.signIn(u.email, u.password), id: u.id };
}

/** Starts an authorization in `browser`: the answer after following redirects on the server. */
async function authorize(browser: Browser, clientId: string, scope: string) {
  const res = await browser.get(`/openid/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent(CALLBACK)}&scope=${encodeURIComponent(scope)}&state=s1`);
  return browser.follow(res);
}

describe('#17 item 3: staff cannot act with a superuser\'s keys', () => {
  test('staff may not issue, revoke or delete a superuser\'s key, nor choose a key\'s value', async () => {
    const issued = await F.staff.post('/api-keys', { user_id: F.ids.superuser, scope: 'management' });
    assert.equal(issued.status, 403);
    assert.equal(issued.body.error, 'SUPERUSER_REQUIRED');
    const planted = await F.staff.post('/api-keys', { user_id: F.ids.member, scope: 'resource', key: randomUUID() });
    assert.equal(planted.status, 403, 'a chosen value lets a caller plant a key it knows');
    assert.equal(planted.body.error, 'SUPERUSER_REQUIRED');
    const own = await F.superuser.post('/api-keys', { user_id: F.ids.superuser, scope: 'resource' });
    assert.equal(own.status, 201);
    assert.equal((await F.staff.patch(`/api-keys/${own.body.id}`, { revoked: true })).status, 403);
    assert.equal((await F.staff.post('/api-keys/revoke', { ids: [own.body.id] })).status, 403);
    assert.equal((await F.staff.delete(`/api-keys/${own.body.id}`)).status, 403);
    const still = await F.superuser.get(`/api-keys/${own.body.id}`);
    assert.equal(still.body.revoked, false, 'nothing was changed by the refused calls');
    const imported = await F.superuser.post('/api-keys', { user_id: F.ids.member, scope: 'resource', key: randomUUID() });
    assert.equal(imported.status, 201, 'a superuser may still import a key with its value');
  });
});

describe('#17 item 4: staff cannot make a client that hands them a superuser\'s token', () => {
  const client = { name: 'Backdoor', client_type: 'confidential', grant_type: 'authorization_code', redirect_uris: [CALLBACK] };

  test('only a superuser gives a client the admin scope or turns its consent off', async () => {
    for (const body of [{ ...client, scope: 'openid admin' }, { ...client, require_consent: false }]) {
      const res = await F.staff.post('/clients', body);
      assert.equal(res.status, 403, JSON.stringify(body));
      assert.equal(res.body.error, 'SUPERUSER_REQUIRED');
    }
    const plain = await F.staff.post('/clients', { ...client, scope: 'openid email' });
    assert.equal(plain.status, 201);
    assert.equal((await F.staff.put(`/clients/${plain.body.id}`, { ...client, scope: 'openid admin' })).status, 403);
    const trusted = await F.superuser.post('/clients', { ...client, scope: 'openid admin', require_consent: false });
    assert.equal(trusted.status, 201);
    assert.equal((await F.staff.put(`/clients/${trusted.body.id}`, { ...client, redirect_uris: ['https://evil.example/cb'] })).status, 403);
    assert.equal((await F.staff.post(`/clients/${trusted.body.id}/secret`)).status, 403);
    assert.equal((await F.staff.delete(`/clients/${trusted.body.id}`)).status, 403);
    assert.deepEqual((await F.superuser.get(`/clients/${trusted.body.id}`)).body.redirect_uris, [CALLBACK]);
  });

  test('an admin-scope authorization always asks, and its token carries at most staff rights', async () => {
    const made = await F.superuser.post('/clients', { ...client, scope: 'openid admin', require_consent: false });
    const root = await signedIn({ isStaff: true, isSuperuser: true });
    const first = await authorize(root.browser, made.body.client_id, 'openid admin');
    assert.equal(first.res.status, 200, 'a consent page, not a redirect with a code');
    const page = await first.res.text();
    const uid = /action="\/interaction\/([^/]+)\/confirm"/.exec(page)![1];
    const { url } = await root.browser.follow(await root.browser.submitForm(`/interaction/${uid}`, {}, `/interaction/${uid}/confirm`));
    const code = new URL(url).searchParams.get('code');
    assert.ok(code, url);
    const again = await authorize(root.browser, made.body.client_id, 'openid admin');
    assert.equal(again.res.status, 200, 'asked again, although a grant exists');

    const tokenRes = await fetch(`${F.server.url}/openid/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: code!, redirect_uri: CALLBACK, client_id: made.body.client_id, client_secret: made.body.client_secret }),
    });
    const { access_token: token } = await tokenRes.json() as { access_token: string };
    const call = (path: string) => fetch(`${F.server.url}/api/admin${path}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await call('/users')).status, 200, 'staff-level rights');
    const keys = await call('/signing-keys');
    assert.equal(keys.status, 403, 'a token never carries a superuser\'s rights');
    assert.equal((await keys.json() as { error: string }).error, 'SUPERUSER_REQUIRED');
    const planted = await fetch(`${F.server.url}/api/admin/api-keys`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ user_id: root.id, scope: 'management' }),
    });
    assert.equal(planted.status, 403);
  });
});

describe('#17 item 2: a self-registered application cannot skip consent', () => {
  test('the register form ignores skip_authorization, and the victim is asked', async () => {
    const attacker = await signedIn();
    const res = await attacker.browser.submitForm('/o/applications/register/', {
      name: 'Totally legit', client_type: 'confidential', authorization_grant_type: 'authorization-code', redirect_uris: CALLBACK, skip_authorization: 'on',
    });
    assert.equal(res.status, 303);
    const html = await (await attacker.browser.get(res.headers.get('location')!)).text();
    assert.doesNotMatch(html, /skip/i);
    assert.match(html, /Consent page<\/th><td>shown/);
    const clientId = /id="client-id">([^<]+)</.exec(html)![1];
    const victim = await signedIn();
    const visit = await authorize(victim.browser, clientId, 'openid email');
    assert.equal(visit.res.status, 200, 'the victim sees a consent page instead of being redirected with a code');
    assert.match(await visit.res.text(), /Totally legit/);
  });
});

describe('#17 item 13: nobody removes their own administrator rights alone', () => {
  test('a superuser cannot demote, deactivate or delete themselves; a second superuser can', async () => {
    const a = await F.server.make.user({ isStaff: true, isSuperuser: true });
    const browser = await F.server.signIn(a.email, a.password);
    const headers = (body: unknown) => ({
      'x-csrftoken': browser.cookie('XSRF-TOKEN') ?? '', accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    });
    for (const [method, path, body] of [
      ['PATCH', `/users/${a.id}`, { is_superuser: false }], ['PATCH', `/users/${a.id}`, { is_staff: false }],
      ['POST', `/users/${a.id}/deactivate`, {}], ['DELETE', `/users/${a.id}`, undefined],
    ] as const) {
      const res = await browser.fetch(`/api/admin${path}`, { method, headers: headers(body), body: body === undefined ? undefined : JSON.stringify(body) });
      assert.equal(res.status, 403, `${method} ${path}`);
    }
    assert.equal((await F.superuser.get(`/users/${a.id}`)).body.is_superuser, true);
    assert.equal((await F.superuser.patch(`/users/${a.id}`, { is_superuser: false })).status, 200);
  });
});

describe('#17 item 5 (admin door): an address an administrator types is unconfirmed until confirmed', () => {
  test('PATCH with a new e-mail clears email_confirmed unless the same change confirms it', async () => {
    const u = await F.server.make.user({ emailConfirmed: true });
    const moved = await F.staff.patch(`/users/${u.id}`, { email: `ceo-${u.id}@corp.example` });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.email_confirmed, false, 'a relying party must not see the typed address as verified');
    const recased = await F.staff.patch(`/users/${u.id}`, { email: `CEO-${u.id}@corp.example`, email_confirmed: true });
    assert.equal(recased.body.email_confirmed, true);
    const same = await F.staff.patch(`/users/${u.id}`, { email: `ceo-${u.id}@corp.example`, first_name: 'Same' });
    assert.equal(same.body.email_confirmed, true, 'the same address (any case) keeps its state');
  });
});

describe('#17 review: teams, roles and login preventions that reach administrators', () => {
  test('staff cannot rename, delete or change the roles of a team or role an administrator is in', async () => {
    const team = (await F.superuser.post('/teams', { name: 'admins-only' })).body;
    await F.superuser.post(`/teams/${team.id}/members`, { user_id: F.ids.superuser });
    const role = (await F.superuser.post('/roles', { name: 'geo-admin' })).body;
    await F.superuser.post(`/users/${F.ids.superuser}/roles`, { role_id: role.id });
    const other = (await F.superuser.post('/roles', { name: 'viewer' })).body;
    for (const [what, res] of [
      ['rename team', await F.staff.patch(`/teams/${team.id}`, { name: 'renamed' })],
      ['grant role to team', await F.staff.post(`/teams/${team.id}/roles`, { role_id: other.id })],
      ['delete team', await F.staff.delete(`/teams/${team.id}`)],
      ['rename role', await F.staff.patch(`/roles/${role.id}`, { name: 'renamed' })],
      ['delete role', await F.staff.delete(`/roles/${role.id}`)],
      ['login prevention', await F.staff.post('/login-preventions', { client: (await F.superuser.post('/clients', { name: 'RP', client_type: 'confidential', grant_type: 'authorization_code', redirect_uris: [CALLBACK] })).body.id, team_ids: [] })],
    ] as const) {
      assert.equal(res.status, 403, what);
      assert.equal(res.body.error, 'SUPERUSER_REQUIRED', what);
    }
    assert.equal((await F.superuser.get(`/teams/${team.id}`)).body.name, 'admins-only');
    const plain = (await F.staff.post('/teams', { name: 'plain-team' })).body;
    await F.staff.post(`/teams/${plain.id}/members`, { user_id: F.ids.member });
    assert.equal((await F.staff.patch(`/teams/${plain.id}`, { name: 'plain-renamed' })).status, 200, 'teams of ordinary users stay staff work');
    assert.equal((await F.staff.post(`/teams/${plain.id}/roles`, { role_id: other.id })).status, 201);
  });
});
