// Sign-up (DJAM §6.4) as a list of steps: check the form, refuse a taken address, then in ONE
// transaction create the unconfirmed user, its activation code and the queued e-mail, so a user
// never exists without a link on its way, and a failed send never leaves a half-made account.
import { createUser, findUserByEmail, hashPassword, passwordProblems, type User } from '../users/index.ts';
import { AppError, catalogue } from '../errors.ts';
import { inTransaction, type AccountDeps } from './accounts.deps.ts';
import { sendActivationLink } from './activation.service.ts';
import { addError, checkEmail, checkNewPasswords, checkText, throwIfInvalid, type FieldErrors } from './form-input.ts';

export interface RegistrationForm {
  first_name: string; last_name: string; email: string; secondary_email: string; password1: string; password2: string;
}

const NAME_MAX_LENGTH = 50;

function checkRegistration(deps: AccountDeps, form: RegistrationForm): FieldErrors {
  const errors: FieldErrors = {};
  checkText(errors, 'first_name', form.first_name, NAME_MAX_LENGTH);
  checkText(errors, 'last_name', form.last_name, NAME_MAX_LENGTH);
  checkEmail(errors, 'email', form.email);
  checkEmail(errors, 'secondary_email', form.secondary_email, { required: false });
  checkNewPasswords(errors, ['password1', 'password2'], [form.password1, form.password2]);
  if (!errors.password1 && !errors.password2) {
    const owner = { email: form.email, username: form.email, firstName: form.first_name, lastName: form.last_name };
    for (const problem of passwordProblems(deps.config.DJAM_PROJECT_ENVIRONMENT, form.password2, owner)) addError(errors, 'password2', problem);
  }
  return errors;
}

async function rejectTakenEmail(deps: AccountDeps, form: RegistrationForm, errors: FieldErrors): Promise<void> {
  if (!errors.email && (await findUserByEmail(deps, form.email))) addError(errors, 'email', catalogue.EMAIL_TAKEN.message);
}

/** Registers an unconfirmed user and queues the activation e-mail; throws VALIDATION_FAILED with field errors. */
export async function registerUser(deps: AccountDeps, form: RegistrationForm): Promise<User> {
  const errors = checkRegistration(deps, form);
  await rejectTakenEmail(deps, form, errors);
  throwIfInvalid(errors);
  const passwordHash = await hashPassword(form.password1); // before the transaction: hashing is slow
  return inTransaction(deps, async (tx) => {
    const user = await createUser(tx, {
      email: form.email, passwordHash, firstName: form.first_name, lastName: form.last_name,
      secondaryEmail: form.secondary_email || null, emailConfirmed: false, isActive: true,
    });
    await sendActivationLink(tx, user);
    return user;
  }).catch((err: unknown) => {
    // A concurrent sign-up with the same address won the race: the same field error as above.
    if (err instanceof AppError && (err.code === 'EMAIL_TAKEN' || err.code === 'USERNAME_TAKEN')) throwIfInvalid({ email: [err.message] });
    throw err;
  });
}
