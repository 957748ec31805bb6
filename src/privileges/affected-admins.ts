// The administrators a change to a team or a role reaches: their memberships and roles are
// their GeoServer roles and their access, so staff changing them would be acting on another
// administrator (#17, the policy's 'privileges.change').
import { and, eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { teamMembers, teamRoles, userRoles, users } from '../db/schema.ts';

export interface AffectedAdmin { id: number; isStaff: boolean; isSuperuser: boolean }

const adminColumns = { id: users.id, isStaff: users.isStaff, isSuperuser: users.isSuperuser };
const isAdmin = or(eq(users.isStaff, true), eq(users.isSuperuser, true));

/** Staff and superusers among the members of these teams. */
export async function adminsInTeams(deps: { db: Db }, teamIds: number[]): Promise<AffectedAdmin[]> {
  if (!teamIds.length) return [];
  return deps.db.selectDistinct(adminColumns).from(teamMembers).innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(inArray(teamMembers.teamId, teamIds), isAdmin));
}

/** Staff and superusers holding the role, directly or through a team. */
export async function adminsHoldingRole(deps: { db: Db }, roleId: number): Promise<AffectedAdmin[]> {
  const direct = await deps.db.select(adminColumns).from(userRoles).innerJoin(users, eq(users.id, userRoles.userId))
    .where(and(eq(userRoles.roleId, roleId), isAdmin));
  const teams = await deps.db.select({ id: teamRoles.teamId }).from(teamRoles).where(eq(teamRoles.roleId, roleId));
  return [...direct, ...await adminsInTeams(deps, teams.map((t) => t.id))];
}
