// The profile form of the account page (docs/compatibility.md §6.9): names and addresses. A new e-mail address is
// not saved as the account's: it waits for its owner to follow the link mailed to it
// (email-change.service.ts). Submitting the address in force withdraws a pending change.
import { catalogue } from '../errors.ts';
import { findUserByEmail, updateUserProfile, type User } from '../users/index.ts';
import { inTransaction, type AccountDeps } from './accounts.deps.ts';
import { isSameAddress, requestEmailChange, withdrawEmailChange } from './email-change.service.ts';
import { addError, checkEmail, checkText, throwIfInvalid, type FieldErrors } from './form-input.ts';

export interface ProfileForm { first_name: string; last_name: string; email: string; secondary_email: string }
/** `confirmationSentTo`: the new address a confirmation link was mailed to. */
interface ProfileUpdate { user: User; confirmationSentTo?: string }

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

/** Whether the form asks for another address than the one in force (a change to confirm by mail). */
export function asksForNewAddress(user: User, form: Pick<ProfileForm, 'email'>): boolean {
  return form.email !== '' && !isSameAddress(form.email, user.email);
}

/** Saves the profile and starts or withdraws a change of address; throws VALIDATION_FAILED with field errors. */
export async function updateProfile(deps: AccountDeps, user: User, form: ProfileForm): Promise<ProfileUpdate> {
  throwIfInvalid(await checkProfile(deps, user, form));
  return inTransaction(deps, async (tx) => {
    const saved = await updateUserProfile(tx, user.id, { firstName: form.first_name, lastName: form.last_name, secondaryEmail: form.secondary_email || null });
    if (asksForNewAddress(user, form)) {
      const sentTo = await requestEmailChange(tx, saved, form.email);
      return { user: { ...saved, pendingEmail: sentTo }, confirmationSentTo: sentTo };
    }
    if (saved.pendingEmail) await withdrawEmailChange(tx, user.id);
    return { user: { ...saved, pendingEmail: null } };
  });
}
