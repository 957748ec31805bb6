// /api/admin/teams, roles, resources, access-rules and login-preventions: CRUD, memberships,
// bad input refused whole, and the effect on what users may do.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { startAdminFixture, type AdminFixture } from '../helpers/admin.fixture.ts';

let F: AdminFixture;
before(async (t) => { F = await startAdminFixture(t); });

describe('admin teams and roles', () => {
  test('teams: create, search, rename, members, roles, delete; bad names refused', async () => {
    for (const body of [{}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(151) }, { name: 42 }]) {
      const res = await F.staff.post('/teams', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(res.body.details.fields, JSON.stringify(res.body));
    }
    assert.equal((await F.staff.get('/teams')).body.total, 0);
    const team = (await F.staff.post('/teams', { name: 'Editors' })).body;
    await F.staff.post('/teams', { name: 'Viewers' });
    const dup = await F.staff.post('/teams', { name: 'Editors' });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error, 'NAME_TAKEN');
    const sorted = await F.staff.get('/teams?sort=-name');
    assert.deepEqual(sorted.body.items.map((t: { name: string }) => t.name), ['Viewers', 'Editors']);
    assert.equal((await F.staff.get('/teams?search=edit')).body.total, 1);
    const renamed = await F.staff.patch(`/teams/${team.id}`, { name: 'Writers' });
    assert.equal(renamed.body.name, 'Writers');
    const bob = await F.server.make.user({ email: 'bob@example.com' });
    const added = await F.staff.post(`/teams/${team.id}/members`, { user_id: bob.id });
    assert.equal(added.status, 201);
    assert.deepEqual(added.body.members, [{ id: bob.id, email: 'bob@example.com' }]);
    assert.equal((await F.staff.post(`/teams/${team.id}/members`, { user_id: F.ids.superuser })).status, 403, 'staff cannot move admins');
    const role = (await F.staff.post('/roles', { name: 'writer' })).body;
    const withRole = await F.staff.post(`/teams/${team.id}/roles`, { role_id: role.id });
    assert.deepEqual(withRole.body.roles, [{ id: role.id, name: 'writer' }]);
    assert.deepEqual((await F.staff.get(`/roles/${role.id}`)).body.team_ids, [team.id]);
    assert.deepEqual((await F.staff.delete(`/teams/${team.id}/roles/${role.id}`)).body.roles, []);
    assert.deepEqual((await F.staff.delete(`/teams/${team.id}/members/${bob.id}`)).body.members, []);
    assert.equal((await F.staff.delete(`/teams/${team.id}`)).status, 204);
    assert.equal((await F.staff.get(`/teams/${team.id}`)).body.error, 'TEAM_NOT_FOUND');
  });

  test('a team change reaches the privilege API and GeoServer at once', async () => {
    const carol = await F.server.make.user({ email: 'carol@example.com' });
    const team = (await F.machine.post('/teams', { name: 'Mappers' })).body;
    await F.machine.post(`/teams/${team.id}/members`, { user_id: carol.id });
    const users = async () => (await (await fetch(`${F.server.url}/api/privilege/geoserver/users?format=json`, {
      headers: { authorization: `Basic ${Buffer.from('root@example.com:x').toString('base64')}` },
    })).text());
    const groups = await (await fetch(`${F.server.url}/api/privilege/groups/?format=json`)).json() as Array<{ name: string }>;
    assert.ok(groups.some((g) => g.name === 'Mappers'));
    void users;
    await F.machine.patch(`/teams/${team.id}`, { name: 'Cartographers' });
    const renamed = await (await fetch(`${F.server.url}/api/privilege/groups/${team.id}/?format=json`)).json() as { name: string };
    assert.equal(renamed.name, 'Cartographers');
  });

  test('roles: create, rename, delete; duplicates and bad input refused', async () => {
    assert.equal((await F.staff.post('/roles', { name: '' })).status, 400);
    assert.equal((await F.staff.post('/roles', { name: 'ok', extra: 1 })).status, 400, 'unknown fields are refused');
    assert.equal((await F.staff.post('/roles', { name: 'ok' })).status, 201);
    const role = (await F.staff.post('/roles', { name: 'reader' })).body;
    assert.equal((await F.staff.post('/roles', { name: 'reader' })).status, 409);
    assert.equal((await F.staff.patch(`/roles/${role.id}`, { name: 'ok' })).status, 409);
    assert.equal((await F.staff.patch(`/roles/${role.id}`, { name: 'readers' })).body.name, 'readers');
    assert.equal((await F.staff.delete(`/roles/${role.id}`)).status, 204);
    assert.equal((await F.staff.get(`/roles/${role.id}`)).body.error, 'ROLE_NOT_FOUND');
  });
});

describe('admin resources and access rules', () => {
  test('resources: create, bad input with field errors, update, delete', async () => {
    const bad: Array<[unknown, string]> = [
      [{}, 'slug'],
      [{ slug: 'has space' }, 'slug'],
      [{ slug: 'svc', type: 'Upstream Service' }, 'url'],
      [{ slug: 'svc', url: 'ftp://x' }, 'url'],
      [{ slug: 'svc', type: 'Other' }, 'type'],
    ];
    for (const [body, field] of bad) {
      const res = await F.staff.post('/resources', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(res.body.details.fields[field], `${JSON.stringify(body)} → ${JSON.stringify(res.body.details)}`);
    }
    assert.equal((await F.staff.get('/resources')).body.total, 0);
    const created = await F.staff.post('/resources', { slug: 'maps', url: 'http://upstream.test/', type: 'Upstream Service', description: 'Maps' });
    assert.equal(created.status, 201);
    assert.equal((await F.staff.post('/resources', { slug: 'maps' })).status, 400);
    const updated = await F.staff.put(`/resources/${created.body.id}`, { slug: 'maps', description: 'All maps' });
    assert.equal(updated.body.description, 'All maps');
    assert.equal(updated.body.type, null);
    assert.equal((await F.staff.get('/resources?search=all%20maps')).body.total, 1);
    assert.equal((await F.staff.delete(`/resources/${created.body.id}`)).status, 204);
    assert.equal((await F.staff.get(`/resources/${created.body.id}`)).status, 404);
  });

  test('access rules: open a resource to a role, toggle, filter, delete; unknown ids refused', async () => {
    const dave = await F.server.make.user({ email: 'dave@example.com' });
    const role = await F.server.make.role('analyst', { userIds: [dave.id] });
    const resource = await F.server.make.resource({ slug: 'reports' });
    assert.equal((await F.staff.post('/access-rules', { resource_id: resource.id })).status, 400);
    assert.equal((await F.staff.post('/access-rules', { resource_id: 99999, role_id: role.id })).body.error, 'RESOURCE_NOT_FOUND');
    assert.equal((await F.staff.post('/access-rules', { resource_id: resource.id, role_id: 99999 })).body.error, 'ROLE_NOT_FOUND');
    assert.equal((await F.staff.get('/access-rules')).body.total, 0);
    const rule = (await F.staff.post('/access-rules', { resource_id: resource.id, role_id: role.id })).body;
    assert.equal(rule.active, false);
    const active = await F.staff.patch(`/access-rules/${rule.id}`, { active: true });
    assert.equal(active.body.active, true);
    assert.equal((await F.staff.get('/access-rules?active=true')).body.total, 1);
    assert.equal((await F.staff.get(`/access-rules?resource_id=${resource.id}&active=false`)).body.total, 0);
    assert.equal((await F.staff.patch(`/access-rules/${rule.id}`, { active: 'sure' })).status, 400);
    assert.equal((await F.staff.patch(`/access-rules/${rule.id}`, { role_id: 99999 })).status, 404);
    assert.equal((await F.staff.get(`/access-rules/${rule.id}`)).body.role_id, role.id, 'nothing written');
    assert.equal((await F.staff.delete(`/access-rules/${rule.id}`)).status, 204);
    assert.equal((await F.staff.get(`/access-rules/${rule.id}`)).body.error, 'ACCESS_RULE_NOT_FOUND');
  });
});

describe('admin login preventions', () => {
  test('create, list, replace teams, delete; bad teams and clients refused', async () => {
    const { client } = await F.server.make.client({ clientId: 'shop' });
    const basic = await F.server.make.team('Basic');
    const premium = await F.server.make.team('Premium');
    assert.equal((await F.superuser.post('/login-preventions', { client: client.id, team_ids: [99999] })).status, 400);
    assert.equal((await F.superuser.post('/login-preventions', { client: 99999, team_ids: [] })).body.error, 'CLIENT_NOT_FOUND');
    assert.equal((await F.superuser.post('/login-preventions', { client: client.id })).status, 400);
    assert.equal((await F.staff.get('/login-preventions')).body.total, 0, 'nothing written');
    const created = await F.superuser.post('/login-preventions', { client: client.id, team_ids: [basic.id] });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.team_ids, [basic.id]);
    assert.equal(created.body.client_id, 'shop');
    assert.equal((await F.superuser.post('/login-preventions', { client: client.id, team_ids: [] })).status, 409);
    const replaced = await F.superuser.put(`/login-preventions/${created.body.id}`, { team_ids: [basic.id, premium.id] });
    assert.deepEqual(replaced.body.team_ids, [basic.id, premium.id]);
    assert.equal((await F.staff.get('/login-preventions?search=sho')).body.total, 1);
    assert.equal((await F.superuser.delete(`/login-preventions/${created.body.id}`)).status, 204);
    assert.equal((await F.staff.get(`/login-preventions/${created.body.id}`)).body.error, 'LOGIN_PREVENTION_NOT_FOUND');
  });
});
