// /api/admin/api-keys, clients and jobs: keys filtered as the original admin did, shown once and
// revoked in bulk; clients with a generated id and a secret shown once; a dead job retried.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { jobs } from '../../src/db/schema.ts';
import { clientCredentialsToken, startAdminFixture, type AdminFixture } from '../helpers/admin.fixture.ts';

let F: AdminFixture;
before(async (t) => { F = await startAdminFixture(t); });

const keyCheck = (key: string) => fetch(`${F.server.url}/openid/authkey/introspect/?authkey=${key}&format=json`);

describe('admin API keys', () => {
  test('filters by revoked, scope and expired, and searches by owner e-mail or whole key', async () => {
    const erin = await F.server.make.user({ email: 'erin@example.com' });
    const frank = await F.server.make.user({ email: 'frank@example.com' });
    const live = await F.server.make.apiKey(erin.id, 'resource');
    await F.server.make.apiKey(erin.id, 'management');
    await F.server.make.apiKey(frank.id, 'resource', { revoked: true });
    await F.server.make.apiKey(frank.id, 'resource', { expiryDays: -1 });
    const total = async (q: string) => (await F.staff.get(`/api-keys?${q}`)).body.total as number;
    assert.equal(await total(''), 4);
    assert.equal(await total('revoked=true'), 1);
    assert.equal(await total('revoked=false'), 3);
    assert.equal(await total('scope=management'), 1);
    assert.equal(await total('expired=true'), 1);
    assert.equal(await total('expired=false'), 3);
    assert.equal(await total('search=frank'), 2);
    assert.equal(await total(`search=${live.key}`), 1);
    assert.equal(await total(`user_id=${erin.id}&scope=resource&expired=false&revoked=false`), 1);
    assert.equal((await F.staff.get('/api-keys?scope=other')).status, 400);
    assert.equal((await F.staff.get('/api-keys?expired=soon')).status, 400);
    const listed = await F.staff.get('/api-keys');
    assert.deepEqual(listed.body.items.map((k: { user_email: string }) => k.user_email), ['erin@example.com', 'erin@example.com', 'frank@example.com', 'frank@example.com']);
    assert.doesNotMatch(JSON.stringify(listed.body), new RegExp(live.key), 'values are not shown again');
  });

  test('creates a key whose value is shown once; bad input writes nothing', async () => {
    const gina = await F.server.make.user({ email: 'gina@example.com' });
    for (const body of [{ user_id: gina.id }, { user_id: gina.id, scope: 'root' }, { user_id: gina.id, scope: 'resource', expiry: 'tomorrow' },
      { user_id: gina.id, scope: 'resource', key: 'not-a-uuid' }, { user_id: String(gina.id), scope: 'resource' }]) {
      const res = await F.staff.post('/api-keys', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error, 'VALIDATION_FAILED');
    }
    assert.equal((await F.staff.post('/api-keys', { user_id: 99999, scope: 'resource' })).body.error, 'USER_NOT_FOUND');
    assert.equal(await (await F.staff.get(`/api-keys?user_id=${gina.id}`)).body.total, 0);
    const created = await F.staff.post('/api-keys', { user_id: gina.id, scope: 'resource' });
    assert.equal(created.status, 201);
    assert.match(created.body.key, /^[0-9a-f-]{36}$/);
    assert.ok(Date.parse(created.body.expiry) > Date.now() + 29 * 86400_000);
    assert.equal((await keyCheck(created.body.key)).status, 200);
    const again = await F.staff.get(`/api-keys/${created.body.id}`);
    assert.equal(again.body.key, undefined);
    assert.equal(again.body.key_preview, `${created.body.key.slice(0, 8)}…`);
    const log = await F.staff.get(`/audit-log?entity_type=api-key&entity_id=${created.body.id}`);
    assert.doesNotMatch(JSON.stringify(log.body), new RegExp(created.body.key));
  });

  test('revokes the selected keys in bulk, all or nothing', async () => {
    const hal = await F.server.make.user({ email: 'hal@example.com' });
    const a = await F.server.make.apiKey(hal.id, 'resource');
    const b = await F.server.make.apiKey(hal.id, 'resource');
    const unknown = await F.staff.post('/api-keys/revoke', { ids: [a.id, 99999] });
    assert.equal(unknown.status, 404);
    assert.equal((await keyCheck(a.key)).status, 200, 'nothing revoked');
    assert.equal((await F.staff.post('/api-keys/revoke', { ids: [] })).status, 400);
    const res = await F.staff.post('/api-keys/revoke', { ids: [a.id, b.id] });
    assert.deepEqual(res.body, { revoked: [a.id, b.id] });
    assert.notEqual((await keyCheck(a.key)).status, 200);
    assert.equal((await F.staff.get(`/api-keys/${b.id}`)).body.revoked, true);
    const un = await F.staff.patch(`/api-keys/${b.id}`, { revoked: false });
    assert.equal(un.body.revoked, false);
    assert.equal((await F.staff.delete(`/api-keys/${b.id}`)).status, 204);
    assert.equal((await F.staff.get(`/api-keys/${b.id}`)).body.error, 'API_KEY_NOT_FOUND');
  });
});

describe('admin clients', () => {
  test('creates a client with a generated id and a secret shown once, that works', async () => {
    for (const body of [{ name: 'x', client_type: 'confidential' }, { name: 'x', client_type: 'secret', grant_type: 'client_credentials' },
      { name: 'x', client_type: 'confidential', grant_type: 'authorization_code' }, { name: '', client_type: 'confidential', grant_type: 'client_credentials' },
      { name: 'x', client_type: 'public', grant_type: 'client_credentials' }]) {
      const res = await F.staff.post('/clients', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(res.body.details.fields, JSON.stringify(res.body));
    }
    assert.equal((await F.staff.get('/clients?search=x')).body.total, 0, 'nothing written');
    const created = await F.staff.post('/clients', { name: 'Batch job', client_type: 'confidential', grant_type: 'client_credentials', scope: 'read write' });
    assert.equal(created.status, 201);
    assert.match(created.body.client_id, /^[\w-]{20,}$/);
    assert.equal(typeof created.body.client_secret, 'string');
    assert.equal(created.body.has_secret, true);
    await clientCredentialsToken(F.server, created.body.client_id, created.body.client_secret, 'read');
    const shown = await F.staff.get(`/clients/${created.body.id}`);
    assert.equal(shown.body.client_secret, undefined);
    assert.doesNotMatch(JSON.stringify((await F.staff.get('/audit-log?entity_type=client')).body), new RegExp(created.body.client_secret));

    const rotated = await F.staff.post(`/clients/${created.body.id}/secret`);
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.client_secret, created.body.client_secret);
    await assert.rejects(clientCredentialsToken(F.server, created.body.client_id, created.body.client_secret, 'read'));
    await clientCredentialsToken(F.server, created.body.client_id, rotated.body.client_secret, 'read');

    const updated = await F.staff.put(`/clients/${created.body.id}`, { name: 'Nightly', client_type: 'confidential', grant_type: 'client_credentials', scope: 'read' });
    assert.equal(updated.body.name, 'Nightly');
    assert.equal(updated.body.scope, 'read');
    await assert.rejects(clientCredentialsToken(F.server, created.body.client_id, rotated.body.client_secret, 'write'), 'the new scope applies at once');
    assert.equal((await F.staff.get('/clients?search=nightl')).body.total, 1);
    assert.equal((await F.staff.delete(`/clients/${created.body.id}`)).status, 204);
    await assert.rejects(clientCredentialsToken(F.server, created.body.client_id, rotated.body.client_secret, 'read'));
    assert.equal((await F.staff.get(`/clients/${created.body.id}`)).body.error, 'CLIENT_NOT_FOUND');
  });

  test('a machine given the admin scope by a superuser can use the admin API (#17 item 4: not by staff)', async () => {
    const body = { name: 'Provisioner', client_type: 'confidential', grant_type: 'client_credentials', scope: 'admin' };
    assert.equal((await F.staff.post('/clients', body)).body.error, 'SUPERUSER_REQUIRED');
    const created = await F.superuser.post('/clients', { name: 'Provisioner', client_type: 'confidential', grant_type: 'client_credentials', scope: 'admin' });
    const token = await clientCredentialsToken(F.server, created.body.client_id, created.body.client_secret, 'admin');
    const res = await fetch(`${F.server.url}/api/admin/teams`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"name":"Provisioned"}' });
    assert.equal(res.status, 201);
    const log = await F.staff.get('/audit-log?action=team.create');
    assert.equal(log.body.items[0].actor_label, created.body.client_id);
  });

  test('#24 review: where the server POSTs logout tokens (backchannel_logout_uri) is a superuser\'s choice, not staff\'s', async () => {
    // Staff could otherwise aim DJAM's own POSTs at internal services (an SSRF: any address is
    // allowed, since intranet receivers are legitimate).
    const body = { name: 'Intranet app', client_type: 'confidential', grant_type: 'authorization_code', redirect_uris: ['https://app.example/cb'] };
    const inside = { backchannel_logout_uri: 'http://127.0.0.1:9/internal-admin/' };
    assert.equal((await F.staff.post('/clients', { ...body, ...inside })).body.error, 'SUPERUSER_REQUIRED');
    const plain = await F.staff.post('/clients', body);
    assert.equal(plain.status, 201, 'staff still register plain clients');
    assert.equal((await F.staff.put(`/clients/${plain.body.id}`, { ...body, ...inside })).body.error, 'SUPERUSER_REQUIRED', 'nor add the URI later');
    const bySuperuser = await F.superuser.post('/clients', { ...body, ...inside });
    assert.equal(bySuperuser.status, 201);
    assert.equal(bySuperuser.body.backchannel_logout_uri, inside.backchannel_logout_uri);
    assert.equal((await F.staff.put(`/clients/${bySuperuser.body.id}`, { ...body, name: 'Renamed' })).body.error, 'SUPERUSER_REQUIRED', 'and such a client is a superuser\'s to change');
  });
});

describe('admin jobs', () => {
  test('lists jobs by status and retries a dead one', async () => {
    const [dead] = await F.server.database.db.insert(jobs).values({ type: 'test.never', payload: {}, status: 'dead', attempts: 5, lastError: 'boom' }).returning();
    const [done] = await F.server.database.db.insert(jobs).values({ type: 'test.never', payload: {}, status: 'done', attempts: 1 }).returning();
    const listed = await F.staff.get('/jobs?status=dead');
    assert.deepEqual(listed.body.items.map((j: { id: number }) => j.id), [dead.id]);
    assert.equal(listed.body.items[0].last_error, 'boom');
    assert.equal((await F.staff.get('/jobs?status=buried')).status, 400);
    const refused = await F.staff.post(`/jobs/${done.id}/retry`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error, 'JOB_NOT_DEAD');
    assert.equal((await F.staff.post('/jobs/99999/retry')).body.error, 'JOB_NOT_FOUND');
    const retried = await F.staff.post(`/jobs/${dead.id}/retry`);
    assert.equal(retried.status, 200);
    assert.equal(retried.body.status, 'pending');
    assert.equal(retried.body.attempts, 0);
    assert.ok(Date.parse(retried.body.run_at) <= Date.now() + 1000);
    const log = await F.staff.get(`/audit-log?entity_type=job&entity_id=${dead.id}`);
    assert.equal(log.body.items[0].before.status, 'dead');
    assert.equal(log.body.items[0].after.status, 'pending');
  });
});
