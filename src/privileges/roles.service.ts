// Roles, granted to users directly or to teams (and so to their members). A user's effective
// roles are the union of both (docs/compatibility.md §2.13).
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { roles, teamMembers, teamRoles, userRoles } from '../db/schema.ts';
import { AppError, isUniqueViolation } from '../errors.ts';
import { announceChange } from '../db/change-feed.ts';

export type Role = typeof roles.$inferSelect;

export async function createRole(deps: { db: Db }, name: string): Promise<Role> {
  try {
    const [role] = await deps.db.insert(roles).values({ name }).returning();
    return role;
  } catch (cause) {
    if (isUniqueViolation(cause)) throw new AppError('VALIDATION_FAILED', { message: 'A role with that name already exists.', cause });
    throw cause;
  }
}

export async function grantRoleToUser(deps: { db: Db }, roleId: number, userId: number): Promise<void> {
  await deps.db.insert(userRoles).values({ roleId, userId }).onConflictDoNothing();
  await announceChange(deps.db, 'privileges', `role:${roleId}`);
}

export async function grantRoleToTeam(deps: { db: Db }, roleId: number, teamId: number): Promise<void> {
  await deps.db.insert(teamRoles).values({ roleId, teamId }).onConflictDoNothing();
  await announceChange(deps.db, 'privileges', `role:${roleId}`);
}

/** Ids of the roles the user holds directly or through a team. */
export function effectiveRoleIds(userId: number) {
  return sql`(select ${userRoles.roleId} from ${userRoles} where ${userRoles.userId} = ${userId}
    union select ${teamRoles.roleId} from ${teamRoles} join ${teamMembers} on ${teamMembers.teamId} = ${teamRoles.teamId}
    where ${teamMembers.userId} = ${userId})`;
}

export async function listEffectiveRoleNames(deps: { db: Db }, userId: number): Promise<string[]> {
  const rows = await deps.db.select({ name: roles.name }).from(roles)
    .where(sql`${roles.id} in ${effectiveRoleIds(userId)}`).orderBy(asc(roles.id));
  return rows.map((r) => r.name);
}

export async function findRoleByName(deps: { db: Db }, name: string): Promise<Role | undefined> {
  const [role] = await deps.db.select().from(roles).where(eq(roles.name, name)).limit(1);
  return role;
}
