// Password reset by e-mailed link (docs/compatibility.md §6.7). Asking for a link answers the same whether or not
// the address has an account (a deliberate change from the original's "No user found with
// email" message, which told anyone which addresses are registered, docs/compatibility.md §12 item 8).
import { anonymousActor } from '../access/index.ts';
import { recordEvent } from '../events/index.ts';
import { queueMail } from '../mail/index.ts';
import { findUser, findUserByEmail, type User } from '../users/index.ts';
import { inTransaction, siteName, type AccountDeps } from './accounts.deps.ts';
import { readField, requireEmailField, throwIfInvalid, type FieldErrors } from './form-input.ts';
import { checkNewPassword, storeNewPassword } from './new-password.ts';
import { decodeUid, encodeUid, isResetTokenValid, makeResetToken } from './password-reset-token.ts';
import { passwordResetMail } from './views/emails.ts';

/** Queues a reset link for an active user with a usable password; does nothing otherwise. Throws VALIDATION_FAILED for a malformed address. */
export async function requestPasswordReset(deps: AccountDeps, email: string): Promise<void> {
  requireEmailField(email);
  const user = await findUserByEmail(deps, email);
  if (!user || !user.isActive || !user.password) return;
  await inTransaction(deps, async (tx) => {
    await mailPasswordResetLink(tx, user);
    await recordEvent(tx.db, anonymousActor(user.email), { type: 'user.password_reset_requested', subject: `user:${user.id}`, userId: user.id, changes: { door: 'self-service' } });
  });
}

/**
 * Queues a reset link for `user` as they are stored now: the link is bound to the current
 * password hash, so it works once. `askedBy` names the administrator who sent it (the mail says
 * so, and that the password keeps working until the link is used); absent, the user asked.
 */
export async function mailPasswordResetLink(deps: AccountDeps, user: User, askedBy?: string): Promise<void> {
  const token = makeResetToken(deps.keys, user, askedBy === undefined ? 'self' : 'admin');
  const url = `${deps.config.baseUrl}/accounts/reset/${encodeUid(user.id)}/${token}/`;
  const mail = passwordResetMail(siteName(deps.config), user.username, url, askedBy === undefined ? undefined : { askedBy, hasPassword: !!user.password && !user.password.startsWith('!') });
  await queueMail(deps, deps.db, { to: user.email, ...mail });
}

/** The user a reset link is for, when the link is still good. */
export async function findUserOfResetLink(deps: AccountDeps, uidb64: string, token: string): Promise<User | undefined> {
  const id = decodeUid(uidb64);
  const user = id === undefined ? undefined : await findUser(deps, id);
  return user && user.isActive && isResetTokenValid(deps.keys, user, token) ? user : undefined;
}

/** Sets the new password from the reset form; every session of the user ends. */
export async function resetPassword(deps: AccountDeps, user: User, body: unknown): Promise<void> {
  const errors: FieldErrors = {};
  const values: [string, string] = [readField(body, 'new_password1', { strip: false }), readField(body, 'new_password2', { strip: false })];
  checkNewPassword(deps, errors, user, values);
  throwIfInvalid(errors);
  await storeNewPassword(deps, user, values[0], { confirmsEmail: true });
}
