// E-mail + password sign-in, as DJAM's only authentication backend: the e-mail matches
// case-insensitively, inactive users are treated as unknown, and an unconfirmed e-mail is
// refused only after the password proved right (so the message leaks nothing to guessers).
// Every attempt goes through the credential throttle first, whatever the door (#17 item 1).
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { anonymousActor, recordAudit, userActor } from '../access/index.ts';
import { recordEvent } from '../events/index.ts';
import { AppError } from '../errors.ts';
import { admitPasswordAttempt, type CredentialThrottle } from './credential-throttle.ts';
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import { findUserByEmail, type User } from './users.service.ts';

export interface AuthOptions {
  requireConfirmedEmail: boolean;
  /** The client's address, one of the throttle's keys. */
  ip: string;
  /**
   * Stamp `last_login` (default). Django does so only on login(); DRF's per-request Basic
   * authentication leaves it alone, and the users export filters on it (docs/compatibility.md §7).
   */
  recordLogin?: boolean;
  /**
   * Which door asked, for the audit log. Failures are recorded at every door (the throttle
   * bounds them); successes only where a person signs in (`audit-success`), not on each
   * Basic-authenticated request.
   */
  door: string;
  auditSuccess?: boolean;
}

/**
 * #23: the directory's password check (federation/ldap.service.ts), asked for a login with no
 * local password: the directory's user, undefined when it does not know the login.
 */
export type DirectoryPasswordCheck = (login: string, password: string) => Promise<User | undefined>;

type AuthDeps = { db: Db; throttle: CredentialThrottle; directory?: DirectoryPasswordCheck };

// PostgreSQL refuses NUL in text (a 500 if it reached a query), and no e-mail address holds a
// control character: such credentials are simply wrong (#17 review). Passwords are only hashed,
// but one with a NUL could never have been set through a form either.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_IN_EMAIL = /[\u0000-\u001f]/;
const CONTROL_IN_EMAIL_ALL = new RegExp(CONTROL_IN_EMAIL.source, 'g');

/** Credentials no account can have: checked like an unknown user's, so the time taken tells nothing. */
function isImpossible(email: string, password: string): boolean {
  return CONTROL_IN_EMAIL.test(email) || password.includes('\0');
}

/** The active user this e-mail and password name, or INVALID_CREDENTIALS. */
async function checkPassword(deps: AuthDeps, email: string, password: string): Promise<User> {
  const possible = Boolean(email) && !isImpossible(email, password);
  const user = possible ? await findUserByEmail(deps, email) : undefined;
  // #23: a login without a local password may be a directory user's (uid or e-mail).
  if (possible && deps.directory && !user?.password) {
    const fromDirectory = await deps.directory(email, password);
    if (fromDirectory) return fromDirectory;
  }
  if (!user || !user.isActive || !user.password) {
    await burnPasswordCheck(password);
    // One answer for all three (it tells a guesser nothing); the cause is for the event log (#21).
    throw new AppError('INVALID_CREDENTIALS', { cause: !user ? 'unknown_user' : !user.isActive ? 'inactive' : 'no_password' });
  }
  if (!(await verifyPassword(password, user.password))) throw new AppError('INVALID_CREDENTIALS', { cause: 'wrong_password' });
  return user;
}

/** The sign-in as the audit log keeps it: who tried, from where, through which door, and why it failed. */
async function auditSignIn(deps: AuthDeps, email: string, opts: AuthOptions, outcome: { user?: User; failure?: string; cause?: unknown }): Promise<void> {
  const label = email.replace(CONTROL_IN_EMAIL_ALL, '\uFFFD') || '(none)'; // the log is text too
  const who = outcome.user ? userActor(outcome.user, opts.ip) : anonymousActor(label, opts.ip);
  await recordAudit(deps.db, who, {
    action: outcome.failure ? 'auth.sign-in-failed' : 'auth.signed-in', entityType: 'user', entityId: outcome.user?.id,
    after: { door: opts.door, ip: opts.ip, ...(outcome.failure ? { reason: outcome.failure } : {}), ...(typeof outcome.cause === 'string' ? { cause: outcome.cause } : {}) },
  });
}

/** A wrong password that was the last one allowed: the lock-out starts (#20), and the event log says so (#21). */
async function recordLockout(deps: AuthDeps, email: string, opts: AuthOptions, locks: string[]): Promise<void> {
  const label = email.replace(CONTROL_IN_EMAIL_ALL, '\uFFFD') || '(none)';
  await recordEvent(deps.db, anonymousActor(label, opts.ip), {
    type: 'limit.locked_out', outcome: 'failure', subject: `user:${label}`,
    changes: { door: opts.door, locks, lockout_seconds: deps.throttle.config.DJAM_LOGIN_LOCKOUT_SECONDS },
  });
}

/** Throws RATE_LIMITED (details.retryAfterSeconds) without checking the password when a limit is reached. */
export async function authenticate(deps: AuthDeps, email: string, password: string, opts: AuthOptions): Promise<User> {
  const lock = { startsOnFailure: [] as string[] };
  try {
    const user = await checkThrottled(deps, email, password, opts, lock);
    if (opts.auditSuccess) await auditSignIn(deps, email, opts, { user });
    return user;
  } catch (err) {
    // A refusal by the throttle checked nothing and costs the sender nothing: auditing each
    // would turn a flood into one write per request.
    if (err instanceof AppError && err.code !== 'RATE_LIMITED') await auditSignIn(deps, email, opts, { failure: err.code, cause: err.cause });
    if (err instanceof AppError && err.code === 'INVALID_CREDENTIALS' && lock.startsOnFailure.length) await recordLockout(deps, email, opts, lock.startsOnFailure);
    throw err;
  }
}

async function checkThrottled(deps: AuthDeps, email: string, password: string, opts: AuthOptions, lock: { startsOnFailure: string[] }): Promise<User> {
  const attempt = await admitPasswordAttempt(deps.throttle, email, opts.ip);
  lock.startsOnFailure = attempt.locksOnFailure;
  const user = await checkPassword(deps, email, password);
  await attempt.succeeded();
  if (opts.requireConfirmedEmail && !user.emailConfirmed) throw new AppError('EMAIL_NOT_CONFIRMED', { details: { userId: user.id } });
  const login = (opts.recordLogin ?? true) ? { lastLogin: new Date() } : {};
  // A directory user (#23) has no local password, and gets none: the directory's is never stored.
  const upgrade = user.password && needsRehash(user.password) ? { password: await hashPassword(password) } : {};
  const change = { ...login, ...upgrade };
  if (Object.keys(change).length) await deps.db.update(users).set(change).where(eq(users.id, user.id));
  return { ...user, ...change };
}
