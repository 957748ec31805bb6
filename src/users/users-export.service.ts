// The staff users export (docs/compatibility.md §7): users in id order (the original left the order to the
// database), filtered by last login, team and e-mail confirmation, one page at a time with
// Django's paginator rules.
import { and, asc, count, eq, exists, gt, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { teamMembers, teams, users } from '../db/schema.ts';

export interface UserExportFilters {
  older?: Date; olderEqual?: Date; newer?: Date; newerEqual?: Date;
  /** Member of any of these teams (by name). */
  teams?: string[];
  emailConfirmed?: boolean;
}

export interface ExportedUser { id: number; username: string; firstName: string; lastName: string; lastLogin: Date | null; email: string }

export interface UserExportPage { count: number; page: number; numPages: number; users: ExportedUser[] }

function conditions(db: Db, f: UserExportFilters): SQL | undefined {
  const conds: Array<SQL | undefined> = [
    // A null last_login compares as unknown, so such users never match a date filter (as the original).
    f.older && lt(users.lastLogin, f.older), f.olderEqual && lte(users.lastLogin, f.olderEqual),
    f.newer && gt(users.lastLogin, f.newer), f.newerEqual && gte(users.lastLogin, f.newerEqual),
    f.emailConfirmed === undefined ? undefined : eq(users.emailConfirmed, f.emailConfirmed),
  ];
  // EXISTS rather than a join: a member of several listed teams is still one row (the original
  // repeated such users, docs/compatibility.md §12 item 26).
  if (f.teams?.length) {
    conds.push(exists(db.select({ one: sql`1` }).from(teamMembers).innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .where(and(eq(teamMembers.userId, users.id), inArray(teams.name, f.teams)))));
  }
  return and(...conds.filter((c): c is SQL => Boolean(c)));
}

/**
 * One page, or undefined when the page does not exist. As Django's paginator: an empty result
 * still has a first page, and `last` names the last one.
 */
export async function exportUsersPage(deps: { db: Db }, filters: UserExportFilters, page: number | 'last', pageSize: number): Promise<UserExportPage | undefined> {
  const where = conditions(deps.db, filters);
  const [{ n }] = await deps.db.select({ n: count() }).from(users).where(where);
  const numPages = Math.max(1, Math.ceil(n / pageSize));
  const number = page === 'last' ? numPages : page;
  if (!Number.isSafeInteger(number) || number < 1 || number > numPages) return undefined;
  const rows = await deps.db.select({
    id: users.id, username: users.username, firstName: users.firstName, lastName: users.lastName, lastLogin: users.lastLogin, email: users.email,
  }).from(users).where(where).orderBy(asc(users.id)).limit(pageSize).offset((number - 1) * pageSize);
  return { count: n, page: number, numPages, users: rows };
}
