// Teams, roles and their memberships as the admin API manages them. Every change announces
// `privileges` (access decisions) so caches on every node drop what they hold.
import { and, asc, count, eq, ilike, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { roles, teamMembers, teamRoles, teams, userRoles, users } from '../db/schema.ts';
import { likePattern, offsetOf, orderFor, type Page, type PageRequest } from '../db/paging.ts';
import { AppError, isUniqueViolation } from '../errors.ts';
import { announceChange } from '../db/change-feed.ts';
import type { Role } from './roles.service.ts';
import type { Team } from './teams.service.ts';

type Deps = { db: Db };

async function changed(deps: Deps, what: string): Promise<void> {
  await announceChange(deps.db, 'privileges', what);
}

function nameTaken(kind: 'team' | 'role', cause: unknown): unknown {
  if (!isUniqueViolation(cause)) return cause;
  return new AppError('NAME_TAKEN', { message: `A ${kind} with that name already exists.`, details: { fields: { name: `A ${kind} with that name already exists.` } }, cause });
}

// Teams

export async function getTeam(deps: Deps, id: number): Promise<Team> {
  const [row] = Number.isSafeInteger(id) ? await deps.db.select().from(teams).where(eq(teams.id, id)).limit(1) : [];
  if (!row) throw new AppError('TEAM_NOT_FOUND', { details: { id } });
  return row;
}

export async function listTeamsPage(deps: Deps, req: PageRequest): Promise<Page<Team>> {
  const where = req.search ? ilike(teams.name, likePattern(req.search)) : undefined;
  const items = await deps.db.select().from(teams).where(where)
    .orderBy(...orderFor(req.sort, { id: teams.id, name: teams.name, created_at: teams.createdAt }, teams.id))
    .limit(req.pageSize).offset(offsetOf(req));
  const [{ n }] = await deps.db.select({ n: count() }).from(teams).where(where);
  return { items, total: n, page: req.page, pageSize: req.pageSize };
}

export async function createNamedTeam(deps: Deps, name: string): Promise<Team> {
  try {
    const [team] = await deps.db.insert(teams).values({ name }).returning();
    return team;
  } catch (cause) {
    throw nameTaken('team', cause);
  }
}

export async function renameTeam(deps: Deps, id: number, name: string): Promise<Team> {
  try {
    const [team] = await deps.db.update(teams).set({ name, updatedAt: new Date() }).where(eq(teams.id, id)).returning();
    if (!team) throw new AppError('TEAM_NOT_FOUND', { details: { id } });
    await changed(deps, `team:${id}`);
    return team;
  } catch (cause) {
    throw nameTaken('team', cause);
  }
}

export async function deleteTeam(deps: Deps, id: number): Promise<void> {
  await deps.db.delete(teams).where(eq(teams.id, id));
  await changed(deps, `team:${id}`);
  await announceChange(deps.db, 'login-prevention', `team:${id}`);
}

export async function removeTeamMember(deps: Deps, teamId: number, userId: number): Promise<boolean> {
  const rows = await deps.db.delete(teamMembers).where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId))).returning();
  await changed(deps, `team:${teamId}`);
  return rows.length > 0;
}

interface MemberSummary { id: number; email: string }

export async function listTeamMembers(deps: Deps, teamId: number): Promise<MemberSummary[]> {
  return deps.db.select({ id: users.id, email: users.email }).from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId)).where(eq(teamMembers.teamId, teamId)).orderBy(asc(users.id));
}

export async function listTeamsOfUser(deps: Deps, userId: number): Promise<Array<{ id: number; name: string }>> {
  return deps.db.select({ id: teams.id, name: teams.name }).from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId)).where(eq(teamMembers.userId, userId)).orderBy(asc(teams.id));
}

// Roles

export async function getRole(deps: Deps, id: number): Promise<Role> {
  const [row] = Number.isSafeInteger(id) ? await deps.db.select().from(roles).where(eq(roles.id, id)).limit(1) : [];
  if (!row) throw new AppError('ROLE_NOT_FOUND', { details: { id } });
  return row;
}

export async function listRolesPage(deps: Deps, req: PageRequest): Promise<Page<Role>> {
  const where = req.search ? ilike(roles.name, likePattern(req.search)) : undefined;
  const items = await deps.db.select().from(roles).where(where)
    .orderBy(...orderFor(req.sort, { id: roles.id, name: roles.name, created_at: roles.createdAt }, roles.id))
    .limit(req.pageSize).offset(offsetOf(req));
  const [{ n }] = await deps.db.select({ n: count() }).from(roles).where(where);
  return { items, total: n, page: req.page, pageSize: req.pageSize };
}

export async function createNamedRole(deps: Deps, name: string): Promise<Role> {
  try {
    const [role] = await deps.db.insert(roles).values({ name }).returning();
    return role;
  } catch (cause) {
    throw nameTaken('role', cause);
  }
}

export async function renameRole(deps: Deps, id: number, name: string): Promise<Role> {
  try {
    const [role] = await deps.db.update(roles).set({ name }).where(eq(roles.id, id)).returning();
    if (!role) throw new AppError('ROLE_NOT_FOUND', { details: { id } });
    await changed(deps, `role:${id}`);
    return role;
  } catch (cause) {
    throw nameTaken('role', cause);
  }
}

export async function deleteRole(deps: Deps, id: number): Promise<void> {
  await deps.db.delete(roles).where(eq(roles.id, id));
  await changed(deps, `role:${id}`);
}

export async function revokeRoleFromUser(deps: Deps, roleId: number, userId: number): Promise<boolean> {
  const rows = await deps.db.delete(userRoles).where(and(eq(userRoles.roleId, roleId), eq(userRoles.userId, userId))).returning();
  await changed(deps, `role:${roleId}`);
  return rows.length > 0;
}

export async function revokeRoleFromTeam(deps: Deps, roleId: number, teamId: number): Promise<boolean> {
  const rows = await deps.db.delete(teamRoles).where(and(eq(teamRoles.roleId, roleId), eq(teamRoles.teamId, teamId))).returning();
  await changed(deps, `role:${roleId}`);
  return rows.length > 0;
}

/** Roles the user holds directly (not through a team). */
export async function listDirectRolesOfUser(deps: Deps, userId: number): Promise<Array<{ id: number; name: string }>> {
  return deps.db.select({ id: roles.id, name: roles.name }).from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId)).where(eq(userRoles.userId, userId)).orderBy(asc(roles.id));
}

export async function listRolesOfTeam(deps: Deps, teamId: number): Promise<Array<{ id: number; name: string }>> {
  return deps.db.select({ id: roles.id, name: roles.name }).from(teamRoles)
    .innerJoin(roles, eq(roles.id, teamRoles.roleId)).where(eq(teamRoles.teamId, teamId)).orderBy(asc(roles.id));
}

/** Who holds the role: users directly and teams (the original's role form edits both). */
export async function listRoleHolders(deps: Deps, roleId: number): Promise<{ userIds: number[]; teamIds: number[] }> {
  const u = await deps.db.select({ id: userRoles.userId }).from(userRoles).where(eq(userRoles.roleId, roleId)).orderBy(asc(userRoles.userId));
  const t = await deps.db.select({ id: teamRoles.teamId }).from(teamRoles).where(eq(teamRoles.roleId, roleId)).orderBy(asc(teamRoles.teamId));
  return { userIds: u.map((r) => r.id), teamIds: t.map((r) => r.id) };
}

/** Ids among `ids` that name no team (for a 400 naming the bad ones). */
export async function missingTeamIds(deps: Deps, ids: number[]): Promise<number[]> {
  if (!ids.length) return [];
  const found = await deps.db.select({ id: teams.id }).from(teams).where(inArray(teams.id, ids));
  const have = new Set(found.map((r) => r.id));
  return ids.filter((id) => !have.has(id));
}
