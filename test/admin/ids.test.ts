// #17 item 13: the ids of admin paths and the integers of admin query strings are plain decimal
// digits within PostgreSQL's integer range. Anything else (`1.5`, `0x4`, `4e0`, `+4`, ` 4`, `04`)
// used to be converted into a neighbouring id and acted on; now it is a 400 that touches nothing.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { startAdminFixture, type AdminFixture } from '../helpers/admin.fixture.ts';

let F: AdminFixture;
before(async (t) => { F = await startAdminFixture(t); });

/** Text that names `n` to Number() (and so to the old conversion) or is no id at all. */
const badIdsFor = (n: number) => [
  `${n}.5`, `${n}.0`, `0x${n.toString(16)}`, `${n}e0`, `+${n}`, ` ${n}`, `${n} `, `\t${n}`, `0${n}`, `-${n}`,
  '0', '2147483648', '99999999999999999999', 'abc', '',
];

async function expectRefused(method: string, path: string, body?: unknown): Promise<void> {
  const res = await F.superuser.call(method, path, body);
  assert.equal(res.status, 400, `${method} ${path}: ${JSON.stringify(res.body)}`);
  assert.equal(res.body.error, 'VALIDATION_FAILED', `${method} ${path}`);
}

test('#17 item 13: a path id that is not plain decimal digits is a 400 and changes nothing', async () => {
  const victim = await F.server.make.user({ email: 'victim@example.com', firstName: 'Vic' });
  const team = await F.superuser.post('/teams', { name: 'Keepers' });
  assert.equal(team.status, 201);
  assert.equal((await F.superuser.post(`/teams/${team.body.id}/members`, { user_id: victim.id })).status, 201);
  const key = await F.superuser.post('/api-keys', { user_id: victim.id, scope: 'resource' });
  const { client } = await F.server.make.client({ name: 'Kept', redirectUris: ['http://localhost:8100/cb'] });
  const clientBody = { name: 'Changed', client_type: 'confidential', grant_type: 'authorization_code', redirect_uris: ['http://localhost:8100/cb'] };

  const targets: Array<{ base: string; id: number; change: [string, unknown] }> = [
    { base: '/users', id: victim.id, change: ['PATCH', { first_name: 'Changed' }] },
    { base: '/teams', id: team.body.id, change: ['PATCH', { name: 'Changed' }] },
    { base: '/api-keys', id: key.body.id, change: ['PATCH', { revoked: true }] },
    { base: '/clients', id: client.id, change: ['PUT', clientBody] },
  ];
  for (const { base, id, change: [method, body] } of targets) {
    for (const bad of badIdsFor(id)) {
      const path = `${base}/${encodeURIComponent(bad)}`;
      await expectRefused('GET', path);
      await expectRefused(method, path, body);
      await expectRefused('DELETE', path);
    }
  }
  for (const bad of badIdsFor(team.body.id)) {
    await expectRefused('DELETE', `/users/${victim.id}/teams/${encodeURIComponent(bad)}`);
    await expectRefused('DELETE', `/teams/${team.body.id}/members/${encodeURIComponent(bad)}`);
  }

  const user = await F.superuser.get(`/users/${victim.id}`);
  assert.deepEqual([user.status, user.body.first_name, user.body.teams.map((t: { id: number }) => t.id)], [200, 'Vic', [team.body.id]]);
  const kept = await F.superuser.get(`/teams/${team.body.id}`);
  assert.deepEqual([kept.status, kept.body.name], [200, 'Keepers']);
  const keyNow = await F.superuser.get(`/api-keys/${key.body.id}`);
  assert.deepEqual([keyNow.status, keyNow.body.revoked], [200, false]);
  const clientNow = await F.superuser.get(`/clients/${client.id}`);
  assert.deepEqual([clientNow.status, clientNow.body.name], [200, 'Kept']);
  for (const { base, id } of targets) assert.equal((await F.superuser.get(`${base}/${id}`)).status, 200, `${base}/${id} still there`);
});

test('#17 item 13: page and page_size outside plain digits or their range are a 400, not a 500', async () => {
  for (const query of ['page=99999999999999999999', 'page=2147483648', 'page=1.5', 'page=0x2', 'page=%2B1', 'page=0',
    'page_size=1e1', 'page_size=201', 'page_size=99999999999999999999']) {
    for (const list of ['/users', '/teams', '/api-keys', '/clients', '/audit-log']) await expectRefused('GET', `${list}?${query}`);
  }
  assert.equal((await F.superuser.get('/api-keys?user_id=99999999999999999999')).status, 400);
  const lastPage = await F.superuser.get('/users?page=2147483647&page_size=200');
  assert.deepEqual([lastPage.status, lastPage.body.items], [200, []]);
});
