// What setting a new password means, whether by reset link or by change: the profile's rules
// first; then, in one transaction, the new hash, the end of the sessions that knew the old
// password, and the "Password change" notice (docs/compatibility.md §6.7, §6.8).
import { userActor } from '../access/index.ts';
import { recordEvent } from '../events/index.ts';
import { queueMail } from '../mail/index.ts';
import { deleteSessionsOfUser, hashPassword, passwordProblems, setPasswordHash, updateUser, type User } from '../users/index.ts';
import { inTransaction, siteName, type AccountDeps } from './accounts.deps.ts';
import { addError, checkNewPasswords, type FieldErrors } from './form-input.ts';
import { passwordChangedMail } from './views/emails.ts';

/** Field checks of `new_password1`/`new_password2`, the profile's rules reported on the second. */
export function checkNewPassword(deps: AccountDeps, errors: FieldErrors, user: User, values: [string, string]): void {
  checkNewPasswords(errors, ['new_password1', 'new_password2'], values);
  if (errors.new_password1 || errors.new_password2) return;
  for (const problem of passwordProblems(deps.config.DJAM_PASSWORD_VALIDATION, values[0], user)) addError(errors, 'new_password2', problem);
}

/**
 * Stores the password and ends the user's sessions, except `keepSessionToken` (the one changing
 * it). `confirmsEmail`: the password was set through a mailed link, which proves the address.
 */
export async function storeNewPassword(
  deps: AccountDeps, user: User, password: string, opts: { keepSessionToken?: string; confirmsEmail?: boolean } = {},
): Promise<void> {
  const hash = await hashPassword(password);
  await inTransaction(deps, async (tx) => {
    await setPasswordHash(tx, user.id, hash);
    if (opts.confirmsEmail && !user.emailConfirmed) await updateUser(tx, user.id, { emailConfirmed: true });
    await deleteSessionsOfUser(tx, user.id, { exceptToken: opts.keepSessionToken });
    await queueMail(tx, tx.db, { to: user.email, ...passwordChangedMail(siteName(deps.config), user) });
    // The signed-in user changing it keeps their session; a reset link ends them all (#21).
    const type = opts.keepSessionToken ? 'user.password_changed' : 'user.password_reset';
    await recordEvent(tx.db, userActor(user), { type, subject: `user:${user.id}`, userId: user.id, changes: { door: 'self-service' } });
  });
}
