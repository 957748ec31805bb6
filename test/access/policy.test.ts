// The one authorization policy, through the real doors: every admin action × every kind of
// actor × a superuser, a staff and a plain target, each answered allow or the exact refusal
// (#17 items 3 and 13; STYLE.md "Who may do what").
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { startAdminFixture, type AdminCaller, type AdminFixture } from '../helpers/admin.fixture.ts';

type Role = 'superuser' | 'staff' | 'user';
type Expect = 'allow' | 'SUPERUSER_REQUIRED' | 'STAFF_REQUIRED' | 'FORBIDDEN';
interface Row { action: string; call(caller: AdminCaller, targetId: number, F: AdminFixture): Promise<{ status: number; body: { error?: string } }> }

const rows: Row[] = [
  { action: 'user.update', call: (c, id) => c.patch(`/users/${id}`, { first_name: 'Renamed' }) },
  { action: 'user.credentials (set password)', call: (c, id) => c.put(`/users/${id}/password`, { password: 'a Fresh passphrase 91' }) },
  { action: 'user.credentials (confirm e-mail)', call: (c, id) => c.post(`/users/${id}/confirm-email`) },
  { action: 'user.unlock (lift a brute-force lock-out, #20)', call: (c, id) => c.post(`/users/${id}/unlock`) },
  { action: 'mfa.reset (#22: remove a user\'s second factors)', call: (c, id) => c.post(`/users/${id}/mfa/reset`) },
  { action: 'user.memberships', call: async (c, id, F) => c.post(`/users/${id}/teams`, { team_id: (await F.superuser.post('/teams', { name: `t-${id}-${Math.random()}` })).body.id }) },
  { action: 'user.delete', call: (c, id) => c.delete(`/users/${id}`) },
  { action: 'api-key.issue', call: (c, id) => c.post('/api-keys', { user_id: id, scope: 'resource' }) },
  { action: 'api-key.issue (management)', call: (c, id) => c.post('/api-keys', { user_id: id, scope: 'management' }) },
  {
    action: 'api-key.manage (revoke)',
    call: async (c, id, F) => c.patch(`/api-keys/${(await F.superuser.post('/api-keys', { user_id: id, scope: 'resource' })).body.id}`, { revoked: true }),
  },
  {
    action: 'privileges.change (rename a team the target is in)',
    call: async (c, id, F) => {
      const team = (await F.superuser.post('/teams', { name: `in-${id}` })).body;
      await F.superuser.post(`/teams/${team.id}/members`, { user_id: id });
      return c.patch(`/teams/${team.id}`, { name: `renamed-${id}` });
    },
  },
  { action: 'api-key.manage (delete)', call: async (c, id, F) => c.delete(`/api-keys/${(await F.superuser.post('/api-keys', { user_id: id, scope: 'resource' })).body.id}`) },
];

/** What the policy table says: staff-level callers act on plain users only. */
function expected(actor: 'superuser' | 'staff' | 'machine' | 'member', target: Role): Expect {
  if (actor === 'member') return 'STAFF_REQUIRED';
  if (actor === 'superuser' || target === 'user') return 'allow';
  return 'SUPERUSER_REQUIRED';
}

let F: AdminFixture;
before(async (t) => { F = await startAdminFixture(t); });

describe('#17 the policy table through the admin API', () => {
  const target = async (role: Role) => (await F.server.make.user({ isStaff: role !== 'user', isSuperuser: role === 'superuser' })).id;

  for (const row of rows) {
    test(row.action, async () => {
      const answers: string[] = [];
      const wrong: string[] = [];
      for (const actor of ['superuser', 'staff', 'machine', 'member'] as const) {
        for (const role of ['superuser', 'staff', 'user'] as const) {
          const res = await row.call(F[actor], await target(role), F);
          const got: Expect = res.status < 300 ? 'allow' : (res.body.error as Expect);
          const want = expected(actor, role);
          answers.push(`${actor}→${role}: ${got}`);
          if (got !== want) wrong.push(`${actor}→${role}: want ${want}, got ${res.status} ${got}`);
        }
      }
      assert.deepEqual(wrong, [], answers.join('\n'));
    });
  }
});

/** Deployment-wide actions (no target user): superusers only; staff told SUPERUSER_REQUIRED, others STAFF_REQUIRED. */
const deploymentRows: Array<{ action: string; call(caller: AdminCaller, n: number): Promise<{ status: number; body: { error?: string } }> }> = [
  {
    action: 'identity-providers.manage (#23: register an upstream)',
    call: (c, n) => c.post('/identity-providers', { slug: `up-${n}`, issuer: 'https://login.example.org', client_id: 'djam', client_secret: 's3cret' }),
  },
  { action: 'identity-providers.manage (#23: list upstreams)', call: (c) => c.get('/identity-providers') },
  // #21: where the event log is streamed (a public address literal: no DNS, and the SSRF rule holds).
  { action: 'webhooks.manage (#21: register an endpoint)', call: (c, n) => c.post('/webhooks', { url: `https://93.184.216.34/hook-${n}`, event_types: ['user.login'] }) },
  { action: 'webhooks.manage (#21: list endpoints)', call: (c) => c.get('/webhooks') },
  // #24: who may let applications register themselves (RFC 7591).
  { action: 'initial-access-tokens.manage (#24: issue one)', call: (c) => c.post('/initial-access-tokens', { expires_in: 600 }) },
  { action: 'initial-access-tokens.manage (#24: list them)', call: (c) => c.get('/initial-access-tokens') },
];

describe('#17 the policy table: deployment-wide actions', () => {
  let n = 0;
  for (const row of deploymentRows) {
    test(row.action, async () => {
      const wrong: string[] = [];
      const want = { superuser: 'allow', staff: 'SUPERUSER_REQUIRED', machine: 'SUPERUSER_REQUIRED', member: 'STAFF_REQUIRED' } as const;
      for (const actor of ['superuser', 'staff', 'machine', 'member'] as const) {
        const res = await row.call(F[actor], n++);
        const got = res.status < 300 ? 'allow' : res.body.error;
        if (got !== want[actor]) wrong.push(`${actor}: want ${want[actor]}, got ${res.status} ${got}`);
      }
      assert.deepEqual(wrong, []);
    });
  }
});

/** #21 reading the event log is staff-level: every administrator and admin-scoped machine (a SIEM), nobody else. */
describe('#21 the policy table: events.read', () => {
  test('events.read (the event log and its export)', async () => {
    const want = { superuser: 'allow', staff: 'allow', machine: 'allow', member: 'STAFF_REQUIRED' } as const;
    const wrong: string[] = [];
    for (const actor of ['superuser', 'staff', 'machine', 'member'] as const) {
      for (const path of ['/events?limit=1', '/events/export?limit=1']) {
        const res = await F[actor].call<{ error?: string }>('GET', path); // limit=1: the export's one NDJSON line parses as JSON
        const got = res.status < 300 ? 'allow' : res.body.error;
        if (got !== want[actor]) wrong.push(`${actor} ${path}: want ${want[actor]}, got ${res.status} ${got}`);
      }
    }
    assert.deepEqual(wrong, []);
  });
});

/** #24 RFC 8693: which client may exchange a user's token for which audience (the grant asks this row). */
describe('#24 the policy table: token.exchange', () => {
  test('token.exchange: a client for an audience it was registered for; nobody else', async () => {
    const { clientActor, may, userActor } = await import('../../src/access/index.ts');
    const allowed = { audience: 'https://api.example/', allowedAudiences: ['https://api.example/'] };
    const other = { audience: 'https://other.example/', allowedAudiences: ['https://api.example/'] };
    const person = { id: 1, email: 'root@example.com', isStaff: true, isSuperuser: true, isActive: true } as Parameters<typeof userActor>[0];
    assert.deepEqual([
      may(clientActor('backend'), 'token.exchange', allowed), may(clientActor('backend'), 'token.exchange', other),
      may(clientActor('backend'), 'token.exchange', { ...allowed, allowedAudiences: [] }), may(userActor(person), 'token.exchange', allowed),
    ], [true, false, false, false]);
  });
});
