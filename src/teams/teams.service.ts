// Teams and memberships: the grouping GeoServer sees as roles and the `groups` claim lists.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { teamMembers, teams } from '../db/schema.ts';
import { AppError, isUniqueViolation } from '../errors.ts';

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
}

/** The user's team names in team-id order, as DJAM's `get_team()`. */
export async function listTeamNamesOfUser(deps: { db: Db }, userId: number): Promise<string[]> {
  const rows = await deps.db.select({ name: teams.name }).from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teamMembers.userId, userId)).orderBy(asc(teams.id));
  return rows.map((r) => r.name);
}
