// Password change by the signed-in user (docs/compatibility.md §6.7). Unlike the original, the session doing the
// change stays signed in (docs/compatibility.md §12 item 25); the user's other sessions end. The old password is a
// password check like a sign-in: a stolen session must not become a way to guess it (#17 item 1).
import { admitPasswordAttempt, verifyPassword, type CredentialThrottle, type User } from '../users/index.ts';
import type { AccountDeps } from './accounts.deps.ts';
import { addError, checkText, MAX_PASSWORD_LENGTH, readField, throwIfInvalid, type FieldErrors } from './form-input.ts';
import { checkNewPassword, storeNewPassword } from './new-password.ts';

export type PasswordChangeDeps = AccountDeps & { throttle: CredentialThrottle };

const WRONG_OLD_PASSWORD = 'Your old password was entered incorrectly. Please enter it again.';

/** True when `old` is the user's password; throws RATE_LIMITED, checking nothing, past the throttle's limits. */
async function isOldPassword(deps: PasswordChangeDeps, user: User, old: string, ip: string): Promise<boolean> {
  const attempt = await admitPasswordAttempt(deps.throttle, user.email, ip);
  if (!user.password || !(await verifyPassword(old, user.password))) return false;
  await attempt.succeeded();
  return true;
}

export async function changePassword(deps: PasswordChangeDeps, user: User, body: unknown, from: { sessionToken: string; ip: string }): Promise<void> {
  const errors: FieldErrors = {};
  const old = readField(body, 'old_password', { strip: false });
  checkText(errors, 'old_password', old, MAX_PASSWORD_LENGTH);
  if (!errors.old_password && !(await isOldPassword(deps, user, old, from.ip))) addError(errors, 'old_password', WRONG_OLD_PASSWORD);
  const values: [string, string] = [readField(body, 'new_password1', { strip: false }), readField(body, 'new_password2', { strip: false })];
  checkNewPassword(deps, errors, user, values);
  throwIfInvalid(errors);
  await storeNewPassword(deps, user, values[0], { keepSessionToken: from.sessionToken });
}
