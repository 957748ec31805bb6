// A team's "members must use MFA" flag through the admin API (#22 review): staff turn it on for
// any team, but turning it off for a team with a superuser in it would let that superuser in on a
// password alone again: a change to another administrator's protection, a superuser's to make.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { startAdminFixture, type AdminFixture } from '../helpers/admin.fixture.ts';

let F: AdminFixture;
before(async (t) => { F = await startAdminFixture(t); });

async function teamWith(name: string, userId: number): Promise<number> {
  const team = await F.superuser.post('/teams', { name });
  await F.superuser.post(`/teams/${team.body.id}/members`, { user_id: userId });
  return team.body.id;
}

test('staff cannot lift the MFA requirement of a team with a superuser in it; a superuser can, and staff can for a team of plain users', async () => {
  // Another superuser than the caller (whose own password-only session the flag would stop).
  const other = await F.server.make.user({ email: 'root2@example.com', isStaff: true, isSuperuser: true });
  const admins = await teamWith('root-admins', other.id);
  assert.equal((await F.superuser.put(`/teams/${admins}/mfa`, { requires_mfa: true })).status, 200);
  const lifted = await F.staff.put(`/teams/${admins}/mfa`, { requires_mfa: false });
  assert.equal(lifted.status, 403);
  assert.equal(lifted.body.error, 'SUPERUSER_REQUIRED');
  assert.deepEqual((await F.staff.get(`/teams/${admins}/mfa`)).body, { requires_mfa: true }, 'still required');
  assert.equal((await F.staff.put(`/teams/${admins}/mfa`, { requires_mfa: true })).status, 200, 'asking more is staff\'s to do');
  assert.deepEqual((await F.superuser.put(`/teams/${admins}/mfa`, { requires_mfa: false })).body, { requires_mfa: false });

  const plain = await teamWith('field-crew', F.ids.member);
  assert.equal((await F.staff.put(`/teams/${plain}/mfa`, { requires_mfa: true })).status, 200);
  assert.deepEqual((await F.staff.put(`/teams/${plain}/mfa`, { requires_mfa: false })).body, { requires_mfa: false });
});
