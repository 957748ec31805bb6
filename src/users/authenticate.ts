// E-mail + password sign-in, as DJAM's only authentication backend: the e-mail matches
// case-insensitively, inactive users are treated as unknown, and an unconfirmed e-mail is
// refused only after the password proved right (so the message leaks nothing to guessers).
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import { findUserByEmail, type User } from './users.service.ts';

export interface AuthOptions {
  requireConfirmedEmail: boolean;
  /**
   * Stamp `last_login` (default). Django does so only on login(); DRF's per-request Basic
   * authentication leaves it alone, and the users export filters on it (§7).
   */
  recordLogin?: boolean;
}

export async function authenticate(deps: { db: Db }, email: string, password: string, opts: AuthOptions): Promise<User> {
  const user = email ? await findUserByEmail(deps, email) : undefined;
  if (!user || !user.isActive || !user.password) {
    await burnPasswordCheck(password);
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (!(await verifyPassword(password, user.password))) throw new AppError('INVALID_CREDENTIALS');
  if (opts.requireConfirmedEmail && !user.emailConfirmed) throw new AppError('EMAIL_NOT_CONFIRMED', { details: { userId: user.id } });
  const login = (opts.recordLogin ?? true) ? { lastLogin: new Date() } : {};
  const upgrade = needsRehash(user.password) ? { password: await hashPassword(password) } : {};
  const change = { ...login, ...upgrade };
  if (Object.keys(change).length) await deps.db.update(users).set(change).where(eq(users.id, user.id));
  return { ...user, ...change };
}
