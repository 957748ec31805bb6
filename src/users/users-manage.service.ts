// What administrators (admin API, console, CLI) do to users: every call names its actor, asks
// the policy before anything changes, and writes its audit entry in the change's transaction.
import { assertMay, audited, type Actor } from '../access/index.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { passwordProblems, type PasswordOwner } from './password-rules.ts';
import { userRecord } from './user-record.ts';
import { deleteSessionsOfUser } from './sessions.service.ts';
import { recordEvent } from '../events/index.ts';
import { assertKeepsASuperuser, deleteUser, updateUser, type UserChange } from './users-admin.service.ts';
import { createUser, getUser, setPassword, setPasswordHash, type NewUser, type User } from './users.service.ts';

interface Deps { db: Db; keys: SecretKeys; config: { DJAM_PASSWORD_VALIDATION: string } }

function checkPassword(deps: Deps, password: string, owner: PasswordOwner): void {
  const problems = passwordProblems(deps.config.DJAM_PASSWORD_VALIDATION, password, owner);
  if (problems.length) throw new AppError('VALIDATION_FAILED', { details: { fields: { password: problems.join(' ') } } });
}

export async function createUserAs(deps: Deps, actor: Actor, input: NewUser): Promise<User> {
  assertMay(actor, 'user.create', { isStaff: input.isStaff ?? false, isSuperuser: input.isSuperuser ?? false });
  if (input.password) checkPassword(deps, input.password, input);
  return audited(deps.db, actor, async (tx) => {
    const created = await createUser({ db: tx }, input);
    return { action: 'user.create', entityType: 'user', entityId: created.id, after: userRecord(created), result: created };
  });
}

/** An administrator's door ended every session of the user: a `user.sessions_ended` event (#21), in the same transaction. */
async function endSessionsAs(deps: { db: Db; keys: SecretKeys }, actor: Actor, userId: number, reason: 'deactivated' | 'forced_new_password'): Promise<void> {
  await deleteSessionsOfUser(deps, userId);
  await recordEvent(deps.db, actor, { type: 'user.sessions_ended', subject: `user:${userId}`, userId, changes: { door: 'admin', reason } });
}

/** Profile and flags; deactivating ends the user's sessions in the same transaction. */
export async function changeUserAs(deps: Deps, actor: Actor, userId: number, change: UserChange, action = 'user.update'): Promise<User> {
  const before = await getUser(deps, userId);
  assertMay(actor, 'user.update', { user: before, ...change });
  await assertKeepsASuperuser(deps, before, change);
  return audited(deps.db, actor, async (tx) => {
    const after = await updateUser({ db: tx }, userId, change);
    if (change.isActive === false) await endSessionsAs({ db: tx, keys: deps.keys }, actor, userId, 'deactivated');
    return { action, entityType: 'user', entityId: userId, before: userRecord(before), after: userRecord(after), result: after };
  });
}

export async function deleteUserAs(deps: Deps, actor: Actor, userId: number): Promise<void> {
  const before = await getUser(deps, userId);
  assertMay(actor, 'user.delete', before);
  await assertKeepsASuperuser(deps, before, { isSuperuser: false });
  await audited(deps.db, actor, async (tx) => {
    await deleteUser({ db: tx }, userId);
    return { action: 'user.delete', entityType: 'user', entityId: userId, before: userRecord(before), result: undefined };
  });
}

export async function confirmEmailAs(deps: Deps, actor: Actor, userId: number): Promise<User> {
  const before = await getUser(deps, userId);
  assertMay(actor, 'user.credentials', before);
  return audited(deps.db, actor, async (tx) => {
    const after = await updateUser({ db: tx }, userId, { emailConfirmed: true });
    return { action: 'user.confirm-email', entityType: 'user', entityId: userId, before: userRecord(before), after: userRecord(after), result: after };
  });
}

export async function setPasswordAs(deps: Deps, actor: Actor, userId: number, password: string): Promise<void> {
  const user = await getUser(deps, userId);
  assertMay(actor, 'user.credentials', user);
  checkPassword(deps, password, user);
  await audited(deps.db, actor, async (tx) => {
    await setPassword({ db: tx }, userId, password);
    return { action: 'user.set-password', entityType: 'user', entityId: userId, result: undefined };
  });
}

/**
 * Sends the user a link to choose a new password (Keycloak's "send reset e-mail"): the password
 * and the sessions stay as they are until the link is used, so nobody is locked out meanwhile;
 * `endPassword` forces a new password instead: the current one and the sessions end now.
 * `mailLink` (the accounts capability's reset mail) runs in the same transaction as the audit row,
 * with the user as stored after that; the link is bound to the hash, so it works once — also for a
 * user who never had a password (an invitation).
 */
export async function resetPasswordAs(
  deps: Deps, actor: Actor, userId: number, mailLink: (tx: Db, user: User) => Promise<void>, opts: { endPassword?: boolean } = {},
): Promise<void> {
  const before = await getUser(deps, userId);
  assertMay(actor, 'user.credentials', before);
  await audited(deps.db, actor, async (tx) => {
    if (opts.endPassword) {
      if (!before.password.startsWith('!')) await setPasswordHash({ db: tx }, userId, `!${before.password}`);
      await endSessionsAs({ db: tx, keys: deps.keys }, actor, userId, 'forced_new_password');
    }
    await mailLink(tx, opts.endPassword ? await getUser({ db: tx }, userId) : before);
    return { action: opts.endPassword ? 'user.force-new-password' : 'user.reset-password', entityType: 'user', entityId: userId, result: undefined };
  });
}
