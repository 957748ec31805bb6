// Who may call the admin API: anonymous callers get 401, signed-in non-staff 403, staff and
// admin-scoped machines get in, and superuser-only operations refuse plain staff with a clear 403.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { clientCredentialsToken, startAdminFixture, AdminCaller, type AdminFixture } from '../helpers/admin.fixture.ts';

let F: AdminFixture;
before(async (t) => { F = await startAdminFixture(t); });

const LISTS = ['/users', '/teams', '/roles', '/resources', '/access-rules', '/api-keys', '/clients', '/login-preventions', '/jobs', '/audit-log'];
/** One write per resource, each with a body that would be valid. */
const WRITES: Array<[string, string, unknown]> = [
  ['POST', '/users', { email: 'new@example.com' }],
  ['POST', '/teams', { name: 'T' }],
  ['POST', '/roles', { name: 'R' }],
  ['POST', '/resources', { slug: 'r' }],
  ['POST', '/access-rules', { resource_id: 1, role_id: 1 }],
  ['POST', '/api-keys', { user_id: 1, scope: 'resource' }],
  ['POST', '/api-keys/revoke', { ids: [1] }],
  ['POST', '/clients', { name: 'c', client_type: 'confidential', grant_type: 'client_credentials' }],
  ['POST', '/login-preventions', { client: 1, team_ids: [] }],
  ['POST', '/jobs/1/retry', {}],
  ['POST', '/signing-keys', {}],
];

describe('admin API access', () => {
  test('anonymous callers get 401 UNAUTHENTICATED everywhere, in the one error shape', async () => {
    for (const path of [...LISTS, '/signing-keys']) {
      const res = await F.anonymous.get(path);
      assert.equal(res.status, 401, path);
      assert.equal(res.body.error, 'UNAUTHENTICATED', path);
      assert.equal(typeof res.body.message, 'string');
    }
    for (const [method, path, body] of WRITES) {
      const res = await F.anonymous.call(method, path, body);
      assert.equal(res.status, 401, `${method} ${path}`);
    }
  });

  test('signed-in users who are not staff get 403 STAFF_REQUIRED everywhere', async () => {
    for (const path of [...LISTS, '/signing-keys']) {
      const res = await F.member.get(path);
      assert.equal(res.status, 403, path);
      assert.equal(res.body.error, 'STAFF_REQUIRED', path);
    }
    for (const [method, path, body] of WRITES) {
      const res = await F.member.call(method, path, body);
      assert.equal(res.status, 403, `${method} ${path}`);
    }
  });

  test('staff and an admin-scoped machine may list every resource', async () => {
    for (const caller of [F.staff, F.machine, F.superuser]) {
      for (const path of LISTS) {
        const res = await caller.get(path);
        assert.equal(res.status, 200, path);
        assert.deepEqual(Object.keys(res.body).sort(), ['items', 'page', 'pageSize', 'total'], path);
      }
    }
  });

  test('a staff session must send X-CSRFToken on unsafe methods', async () => {
    const refused = await F.staffWithoutCsrf.post('/teams', { name: 'No token' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, 'CSRF_FAILED');
    const list = await F.staff.get('/teams?search=No%20token');
    assert.equal(list.body.total, 0, 'nothing written');
    const ok = await F.staff.post('/teams', { name: 'With token' });
    assert.equal(ok.status, 201);
  });

  test('Bearer tokens: a bad one is 401 with a challenge, one without the admin scope 403', async () => {
    const bad = await new AdminCaller(F.server, { token: 'not-a-token' }).get('/users');
    assert.equal(bad.status, 401);
    assert.match(bad.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/);
    await F.server.make.client({ clientId: 'reader', clientSecret: 'readersecret', grantType: 'client_credentials', redirectUris: [], scope: 'read admin' });
    const readOnly = await clientCredentialsToken(F.server, 'reader', 'readersecret', 'read');
    const res = await new AdminCaller(F.server, { token: readOnly }).get('/users');
    assert.equal(res.status, 403);
    assert.equal(res.body.error, 'FORBIDDEN');
    assert.match(res.headers.get('www-authenticate') ?? '', /insufficient_scope/);
  });

  test('signing keys are for superusers only: staff and machines get 403 SUPERUSER_REQUIRED', async () => {
    for (const caller of [F.staff, F.machine]) {
      const list = await caller.get('/signing-keys');
      assert.equal(list.status, 403);
      assert.equal(list.body.error, 'SUPERUSER_REQUIRED');
      assert.equal(list.body.message, 'Only a superuser may do this.');
      assert.equal((await caller.post('/signing-keys')).status, 403);
    }
    const before = await F.superuser.get('/signing-keys');
    assert.equal(before.status, 200);
    assert.equal(before.body.items.length, 1);
    const created = await F.superuser.post('/signing-keys');
    assert.equal(created.status, 201);
    assert.equal(created.body.state, 'next', 'published first, signing after the activation delay (#20)');
    const afterwards = await F.superuser.get('/signing-keys');
    assert.equal(afterwards.body.items.length, 2);
    assert.equal(afterwards.body.items[0].kid, created.body.kid);
    assert.deepEqual(afterwards.body.items.map((k: { state: string }) => k.state), ['next', 'active']);
    assert.doesNotMatch(JSON.stringify(afterwards.body), /"d"|private/);
  });

  test('other administrators are a superuser\'s business', async () => {
    const st = F.ids.staff;
    const su = F.ids.superuser;
    const promote = await F.staff.post('/users', { email: 'boss@example.com', is_superuser: true });
    assert.equal(promote.status, 403);
    assert.equal(promote.body.error, 'SUPERUSER_REQUIRED');
    assert.equal((await F.staff.get('/users?search=boss')).body.total, 0);
    assert.equal((await F.staff.patch(`/users/${su}`, { first_name: 'X' })).status, 403);
    assert.equal((await F.staff.post(`/users/${su}/deactivate`)).status, 403);
    assert.equal((await F.staff.put(`/users/${su}/password`, { password: 'a-Very-long-passw0rd' })).status, 403);
    assert.equal((await F.staff.patch(`/users/${F.ids.member}`, { is_staff: true })).status, 403);
    assert.equal((await F.machine.patch(`/users/${su}`, { first_name: 'X' })).status, 403);
    // Staff may edit their own profile, and a superuser may do all of it.
    assert.equal((await F.staff.patch(`/users/${st}`, { first_name: 'Me' })).status, 200);
    const made = await F.superuser.patch(`/users/${F.ids.member}`, { is_staff: true });
    assert.equal(made.status, 200);
    assert.equal(made.body.is_staff, true);
    assert.equal((await F.superuser.patch(`/users/${F.ids.member}`, { is_staff: false })).status, 200);
  });

  test('the OpenAPI document describes the admin API under the admin tag', async () => {
    const doc = await (await fetch(`${F.server.url}/openid/api/schema/?format=json`)).json() as {
      tags: Array<{ name: string }>; paths: Record<string, Record<string, { tags: string[]; security: unknown[]; operationId: string }>>;
      components: { securitySchemes: Record<string, { scheme?: string }> };
    };
    assert.ok(doc.tags.some((t) => t.name === 'admin'));
    assert.equal(doc.components.securitySchemes.bearerAuth.scheme, 'bearer');
    const admin = Object.entries(doc.paths).filter(([p]) => p.startsWith('/api/admin/'));
    assert.ok(admin.length >= 30, `${admin.length} admin paths`);
    for (const [path, methods] of admin) {
      for (const op of Object.values(methods)) {
        assert.deepEqual(op.tags, ['admin'], path);
        assert.deepEqual(op.security, [{ cookieAuth: [] }, { bearerAuth: [] }], path);
      }
    }
    assert.ok(doc.paths['/api/admin/users/{id}'].patch);
    assert.ok(doc.paths['/api/admin/clients/{id}/secret'].post);
  });
});
