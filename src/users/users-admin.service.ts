// What staff do to users through the admin API: find them by e-mail or name, and change their
// profile and flags. Every change tells the caches of every node (topic `user`).
import { and, count, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { likePattern, offsetOf, orderFor, type Page, type PageRequest } from '../db/paging.ts';
import { AppError, uniqueViolationConstraint } from '../errors.ts';
import { announceChange } from '../db/change-feed.ts';
import { getUser, normaliseEmail, type User } from './users.service.ts';

export interface UserFilters { isActive?: boolean; isStaff?: boolean; isSuperuser?: boolean; emailConfirmed?: boolean }

const SORTABLE = {
  id: users.id, email: users.email, first_name: users.firstName, last_name: users.lastName,
  date_joined: users.dateJoined, last_login: users.lastLogin,
};
export const USER_SORT_FIELDS = Object.keys(SORTABLE);

export async function listUsers(deps: { db: Db }, req: PageRequest, filters: UserFilters): Promise<Page<User>> {
  const conditions: SQL[] = [];
  if (filters.isActive !== undefined) conditions.push(eq(users.isActive, filters.isActive));
  if (filters.isStaff !== undefined) conditions.push(eq(users.isStaff, filters.isStaff));
  if (filters.isSuperuser !== undefined) conditions.push(eq(users.isSuperuser, filters.isSuperuser));
  if (filters.emailConfirmed !== undefined) conditions.push(eq(users.emailConfirmed, filters.emailConfirmed));
  if (req.search) {
    const p = likePattern(req.search);
    conditions.push(or(ilike(users.email, p), ilike(users.username, p), ilike(users.firstName, p), ilike(users.lastName, p))!);
  }
  const where = and(...conditions);
  const items = await deps.db.select().from(users).where(where)
    .orderBy(...orderFor(req.sort, SORTABLE, users.id)).limit(req.pageSize).offset(offsetOf(req));
  const [{ n }] = await deps.db.select({ n: count() }).from(users).where(where);
  return { items, total: n, page: req.page, pageSize: req.pageSize };
}

export interface UserChange {
  email?: string;
  firstName?: string;
  lastName?: string;
  isActive?: boolean;
  isStaff?: boolean;
  isSuperuser?: boolean;
  emailConfirmed?: boolean;
}

/**
 * The columns an e-mail change sets: the username follows (the original's User.clean()), and a
 * new address someone else typed is unconfirmed unless the same change says it is confirmed —
 * relying parties link accounts by a verified e-mail (#17 item 5). A pending self-service change
 * is dropped: the administrator's address wins.
 */
async function emailColumns(deps: { db: Db }, userId: number, change: UserChange) {
  if (change.email === undefined) return {};
  const email = normaliseEmail(change.email);
  const current = await getUser(deps, userId);
  const isNew = current.email.toLowerCase() !== email.toLowerCase();
  const confirmed = change.emailConfirmed ?? (isNew ? false : current.emailConfirmed);
  return { email, username: email, emailConfirmed: confirmed, ...(isNew ? { pendingEmail: null } : {}) };
}

/** Applies the given fields. */
export async function updateUser(deps: { db: Db }, userId: number, change: UserChange): Promise<User> {
  try {
    const [user] = await deps.db.update(users)
      .set({ ...change, ...(await emailColumns(deps, userId, change)), updatedAt: new Date() })
      .where(eq(users.id, userId)).returning();
    if (!user) throw new AppError('USER_NOT_FOUND', { details: { id: userId } });
    await announceChange(deps.db, 'user', String(userId));
    return user;
  } catch (cause) {
    const constraint = uniqueViolationConstraint(cause);
    if (constraint === 'users_email_lower_key' || constraint === 'users_username_key') {
      throw new AppError('EMAIL_TAKEN', { details: { fields: { email: 'A user with that email already exists.' } }, cause });
    }
    throw cause;
  }
}

/** Deletes the user and, through the foreign keys, their sessions, keys, memberships and roles. */
export async function deleteUser(deps: { db: Db }, userId: number): Promise<User> {
  const user = await getUser(deps, userId);
  await deps.db.delete(users).where(eq(users.id, userId));
  await announceChange(deps.db, 'user', String(userId));
  await announceChange(deps.db, 'privileges', `user:${userId}`);
  return user;
}

/**
 * Refuses a change that would leave no active superuser (deleting, deactivating or demoting the
 * last one): the deployment would have nobody left to manage administrators but the CLI.
 */
export async function assertKeepsASuperuser(deps: { db: Db }, target: User, change: { isActive?: boolean; isSuperuser?: boolean }): Promise<void> {
  const losesOne = target.isSuperuser && target.isActive && (change.isActive === false || change.isSuperuser === false);
  if (!losesOne) return;
  const [{ n }] = await deps.db.select({ n: count() }).from(users).where(and(eq(users.isSuperuser, true), eq(users.isActive, true)));
  if (n <= 1) throw new AppError('LAST_SUPERUSER');
}
