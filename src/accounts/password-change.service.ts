// Password change by the signed-in user (DJAM §6.7). Unlike the original, the session doing the
// change stays signed in (§12 item 25); the user's other sessions end.
import { verifyPassword, type User } from '../users/index.ts';
import type { AccountDeps } from './accounts.deps.ts';
import { addError, checkText, MAX_PASSWORD_LENGTH, readField, throwIfInvalid, type FieldErrors } from './form-input.ts';
import { checkNewPassword, storeNewPassword } from './new-password.ts';

const WRONG_OLD_PASSWORD = 'Your old password was entered incorrectly. Please enter it again.';

export async function changePassword(deps: AccountDeps, user: User, body: unknown, sessionToken: string): Promise<void> {
  const errors: FieldErrors = {};
  const old = readField(body, 'old_password', { strip: false });
  checkText(errors, 'old_password', old, MAX_PASSWORD_LENGTH);
  if (!errors.old_password && !(user.password && (await verifyPassword(old, user.password)))) addError(errors, 'old_password', WRONG_OLD_PASSWORD);
  const values: [string, string] = [readField(body, 'new_password1', { strip: false }), readField(body, 'new_password2', { strip: false })];
  checkNewPassword(deps, errors, user, values);
  throwIfInvalid(errors);
  await storeNewPassword(deps, user, values[0], { keepSessionToken: sessionToken });
}
