// A user's team memberships and directly held roles, changed by an administrator: they are the
// user's GeoServer roles and access, so the policy's 'user.memberships' decides (another
// administrator's are a superuser's), and the audit entry commits with the change.
import { assertMay, audited, type Actor } from '../access/index.ts';
import type { Db } from '../db/client.ts';
import { getUser } from '../users/index.ts';
import { grantRoleToUser } from './roles.service.ts';
import { getRole, getTeam, removeTeamMember, revokeRoleFromUser } from './teams-admin.service.ts';
import { addTeamMember } from './teams.service.ts';

type Deps = { db: Db };
type Change = 'add' | 'remove';

async function memberOf(deps: Deps, actor: Actor, userId: number) {
  const user = await getUser(deps, userId);
  assertMay(actor, 'user.memberships', user);
  return user;
}

/** Adds the user to the team or removes them; audited under the user as `user.team.<change>`. */
export async function changeTeamMembershipAs(deps: Deps, actor: Actor, userId: number, teamId: number, change: Change): Promise<void> {
  const user = await memberOf(deps, actor, userId);
  const team = await getTeam(deps, teamId);
  const record = { teamId: team.id, team: team.name, userId: user.id, email: user.email };
  await audited(deps.db, actor, async (tx) => {
    if (change === 'add') await addTeamMember({ db: tx }, team.id, user.id);
    else await removeTeamMember({ db: tx }, team.id, user.id);
    return { action: `user.team.${change}`, entityType: 'user', entityId: user.id, ...(change === 'add' ? { after: record } : { before: record }), result: undefined };
  });
}

/** Grants the role to the user directly or takes it; audited as `user.role.<change>`. */
export async function changeUserRoleAs(deps: Deps, actor: Actor, userId: number, roleId: number, change: Change): Promise<void> {
  const user = await memberOf(deps, actor, userId);
  const role = await getRole(deps, roleId);
  const record = { roleId: role.id, role: role.name };
  await audited(deps.db, actor, async (tx) => {
    if (change === 'add') await grantRoleToUser({ db: tx }, role.id, user.id);
    else await revokeRoleFromUser({ db: tx }, role.id, user.id);
    return { action: `user.role.${change}`, entityType: 'user', entityId: user.id, ...(change === 'add' ? { after: record } : { before: record }), result: undefined };
  });
}
