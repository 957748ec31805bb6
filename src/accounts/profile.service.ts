// The profile form of the account page (DJAM §6.9): names and addresses. The username follows
// the e-mail, and a changed e-mail is announced to the previous address, which is how its owner
// learns of a takeover. As in the original, email_confirmed is left as it was (§12 item 16).
import { AppError, catalogue } from '../errors.ts';
import { queueMail } from '../mail/index.ts';
import { findUserByEmail, updateUserProfile, type User } from '../users/index.ts';
import { inTransaction, siteName, type AccountDeps } from './accounts.deps.ts';
import { addError, checkEmail, checkText, throwIfInvalid, type FieldErrors } from './form-input.ts';
import { emailChangedMail } from './views/emails.ts';

export interface ProfileForm { first_name: string; last_name: string; email: string; secondary_email: string }

// The columns' lengths: longer names than the sign-up form's 50 may come from an import.
const NAME_MAX_LENGTH = 150;

async function checkProfile(deps: AccountDeps, user: User, form: ProfileForm): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  checkText(errors, 'first_name', form.first_name, NAME_MAX_LENGTH);
  checkText(errors, 'last_name', form.last_name, NAME_MAX_LENGTH);
  checkEmail(errors, 'email', form.email);
  checkEmail(errors, 'secondary_email', form.secondary_email, { required: false });
  if (!errors.email) {
    const owner = await findUserByEmail(deps, form.email);
    if (owner && owner.id !== user.id) addError(errors, 'email', catalogue.EMAIL_TAKEN.message);
  }
  return errors;
}

/** Saves the profile; throws VALIDATION_FAILED with field errors. */
export async function updateProfile(deps: AccountDeps, user: User, form: ProfileForm): Promise<User> {
  throwIfInvalid(await checkProfile(deps, user, form));
  const change = { firstName: form.first_name, lastName: form.last_name, email: form.email, secondaryEmail: form.secondary_email || null };
  return inTransaction(deps, async (tx) => {
    const saved = await updateUserProfile(tx, user.id, change);
    if (saved.email !== user.email) {
      await queueMail(tx, tx.db, { to: user.email, ...emailChangedMail(siteName(deps.config), saved, saved.email) });
    }
    return saved;
  }).catch((err: unknown) => {
    if (err instanceof AppError && (err.code === 'EMAIL_TAKEN' || err.code === 'USERNAME_TAKEN')) throwIfInvalid({ email: [err.message] });
    throw err;
  });
}

