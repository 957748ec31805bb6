// Users: creation, look-up by e-mail (case-insensitive, as DJAM's login backend) and id.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { AppError, uniqueViolationConstraint } from '../errors.ts';
import { hashPassword } from './passwords.ts';
import { announceChange } from '../db/change-feed.ts';

export type User = typeof users.$inferSelect;

export interface NewUser {
  email: string;
  password?: string;
  /** An already-hashed password (Django or Argon2 format), kept verbatim. */
  passwordHash?: string;
  username?: string;
  firstName?: string;
  lastName?: string;
  secondaryEmail?: string | null;
  isStaff?: boolean;
  isSuperuser?: boolean;
  isActive?: boolean;
  emailConfirmed?: boolean;
  legacyUserId?: number | null;
}

/** Django's normalisation: the domain part is case-insensitive, the local part is kept. */
export function normaliseEmail(email: string): string {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  return at < 0 ? trimmed : trimmed.slice(0, at) + trimmed.slice(at).toLowerCase();
}

export async function createUser(deps: { db: Db }, input: NewUser): Promise<User> {
  const email = normaliseEmail(input.email);
  const password = input.passwordHash ?? (input.password ? await hashPassword(input.password) : '');
  try {
    const [user] = await deps.db.insert(users).values({
      email, password, username: input.username ?? email,
      firstName: input.firstName ?? '', lastName: input.lastName ?? '', secondaryEmail: input.secondaryEmail ?? null,
      isStaff: input.isStaff ?? false, isSuperuser: input.isSuperuser ?? false,
      isActive: input.isActive ?? true, emailConfirmed: input.emailConfirmed ?? false,
      legacyUserId: input.legacyUserId ?? null,
    }).returning();
    return user;
  } catch (cause) {
    throw takenError(cause);
  }
}

/**
 * The AppError of a clash on a unique column, told apart by the constraint's name rather than by
 * another query, which would fail inside the caller's (now aborted) transaction.
 */
function takenError(cause: unknown): unknown {
  const constraint = uniqueViolationConstraint(cause);
  if (constraint === 'users_email_lower_key') return new AppError('EMAIL_TAKEN', { cause });
  if (constraint === 'users_username_key') return new AppError('USERNAME_TAKEN', { cause });
  return cause;
}

/**
 * What the account page changes. The e-mail is not among it: a new address waits in
 * `pendingEmail` (setPendingEmail) until switchToPendingEmail(), once its link was followed.
 */
export interface ProfileChange { firstName: string; lastName: string; secondaryEmail: string | null }

export async function updateUserProfile(deps: { db: Db }, userId: number, change: ProfileChange): Promise<User> {
  const [user] = await deps.db.update(users).set({ ...change, updatedAt: new Date() }).where(eq(users.id, userId)).returning();
  if (!user) throw new AppError('USER_NOT_FOUND', { details: { id: userId } });
  await announceChange(deps.db, 'user', String(userId));
  return user;
}

/** Records (normalised) or, with null, drops the address the user asked to change to. */
export async function setPendingEmail(deps: { db: Db }, userId: number, email: string | null): Promise<void> {
  await deps.db.update(users).set({ pendingEmail: email === null ? null : normaliseEmail(email), updatedAt: new Date() }).where(eq(users.id, userId));
  await announceChange(deps.db, 'user', String(userId));
}

/**
 * Makes the pending address the account's e-mail, and username as the original's User.clean(),
 * now confirmed: its owner followed the link mailed to it. EMAIL_TAKEN/USERNAME_TAKEN when another
 * account took it meanwhile.
 */
export async function switchToPendingEmail(deps: { db: Db }, userId: number, email: string): Promise<User> {
  try {
    const [user] = await deps.db.update(users)
      .set({ email, username: email, emailConfirmed: true, pendingEmail: null, updatedAt: new Date() }).where(eq(users.id, userId)).returning();
    if (!user) throw new AppError('USER_NOT_FOUND', { details: { id: userId } });
    await announceChange(deps.db, 'user', String(userId));
    return user;
  } catch (cause) {
    throw takenError(cause);
  }
}

export async function findUserByEmail(deps: { db: Db }, email: string): Promise<User | undefined> {
  const [user] = await deps.db.select().from(users).where(sql`lower(${users.email}) = lower(${email.trim()})`).limit(1);
  return user;
}

/** Exact, case-sensitive match on `username`, as GeoServer's credential check asks (docs/compatibility.md §4.2). */
export async function findUserByUsername(deps: { db: Db }, username: string): Promise<User | undefined> {
  const [user] = await deps.db.select().from(users).where(eq(users.username, username)).limit(1);
  return user;
}

export async function findUser(deps: { db: Db }, id: number): Promise<User | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  const [user] = await deps.db.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

export async function getUser(deps: { db: Db }, id: number): Promise<User> {
  const user = await findUser(deps, id);
  if (!user) throw new AppError('USER_NOT_FOUND', { details: { id } });
  return user;
}

export async function setPasswordHash(deps: { db: Db }, userId: number, passwordHash: string): Promise<void> {
  await deps.db.update(users).set({ password: passwordHash, updatedAt: new Date() }).where(eq(users.id, userId));
  await announceChange(deps.db, 'user', String(userId));
}

export async function setPassword(deps: { db: Db }, userId: number, password: string): Promise<void> {
  await setPasswordHash(deps, userId, await hashPassword(password));
}
