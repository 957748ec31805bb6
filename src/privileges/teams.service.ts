// Teams and memberships: the grouping GeoServer sees as roles and the `groups` claim lists.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { teamMembers, teams, users } from '../db/schema.ts';
import { AppError, isUniqueViolation } from '../errors.ts';
import { announceChange } from '../db/change-feed.ts';

export type Team = typeof teams.$inferSelect;

export async function createTeam(deps: { db: Db }, name: string): Promise<Team> {
  try {
    const [team] = await deps.db.insert(teams).values({ name }).returning();
    return team;
  } catch (cause) {
    if (isUniqueViolation(cause)) throw new AppError('VALIDATION_FAILED', { message: 'A team with that name already exists.', cause });
    throw cause;
  }
}

export async function findTeamByName(deps: { db: Db }, name: string): Promise<Team | undefined> {
  const [team] = await deps.db.select().from(teams).where(eq(teams.name, name)).limit(1);
  return team;
}

export async function addTeamMember(deps: { db: Db }, teamId: number, userId: number): Promise<void> {
  await deps.db.insert(teamMembers).values({ teamId, userId }).onConflictDoNothing();
  await announceChange(deps.db, 'privileges', `team:${teamId}`);
}

/** The user's team names in team-id order, as DJAM's `get_team()`. */
export async function listTeamNamesOfUser(deps: { db: Db }, userId: number): Promise<string[]> {
  const rows = await deps.db.select({ name: teams.name }).from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teamMembers.userId, userId)).orderBy(asc(teams.id));
  return rows.map((r) => r.name);
}

export async function listTeams(deps: { db: Db }): Promise<Team[]> {
  return deps.db.select().from(teams).orderBy(asc(teams.id));
}

export async function findTeam(deps: { db: Db }, id: number): Promise<Team | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  const [team] = await deps.db.select().from(teams).where(eq(teams.id, id)).limit(1);
  return team;
}

/** Users with at least one team and their team names (team-id order), for GeoServer (docs/compatibility.md §4.3). */
export async function listUsersWithTeams(deps: { db: Db }): Promise<Array<{ username: string; groups: string[] }>> {
  const rows = await deps.db.select({ userId: teamMembers.userId, username: users.username, team: teams.name }).from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId)).innerJoin(users, eq(users.id, teamMembers.userId))
    .orderBy(asc(teamMembers.userId), asc(teams.id));
  const byUser = new Map<number, { username: string; groups: string[] }>();
  for (const r of rows) {
    const entry = byUser.get(r.userId) ?? { username: r.username, groups: [] };
    entry.groups.push(r.team);
    byUser.set(r.userId, entry);
  }
  return [...byUser.values()];
}
