// Sign-up (docs/compatibility.md §6.4) as a list of steps: check the form, hash the password, then in ONE
// transaction either create the unconfirmed user, its activation code and the queued e-mail (so a
// user never exists without a link on its way, and a failed send never leaves a half-made account),
// or, when the address already has an account, queue a mail to its owner instead. The form answers
// the same either way, after the same work, so that it tells nobody which addresses are registered
// (#17 item 8, as login and password reset); the owner learns of the attempt by e-mail.
import { createUser, findUserByEmail, hashPassword, passwordProblems, type User } from '../users/index.ts';
import { userActor } from '../access/index.ts';
import { AppError } from '../errors.ts';
import { recordEvent } from '../events/index.ts';
import { queueMail } from '../mail/index.ts';
import { inTransaction, siteName, type AccountDeps } from './accounts.deps.ts';
import { sendActivationLink, signInLinks } from './activation.service.ts';
import { newConfirmationLink } from './confirmation-codes.ts';
import { addError, checkEmail, checkNewPasswords, checkText, throwIfInvalid, type FieldErrors } from './form-input.ts';
import { registrationAttemptMail } from './views/emails.ts';

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
    for (const problem of passwordProblems(deps.config.DJAM_PASSWORD_VALIDATION, form.password2, owner)) addError(errors, 'password2', problem);
  }
  return errors;
}

/** What became of a valid sign-up; only the server's log tells them apart. */
type Registration = 'created' | 'owner-told' | 'inactive-owner' | 'taken-concurrently';

/** The address has an account: tell its owner (with a fresh activation link if it is unconfirmed), never the form. */
async function mailOwnerOfAddress(deps: AccountDeps, owner: User): Promise<Registration> {
  if (!owner.isActive) return 'inactive-owner';
  const activationUrl = owner.emailConfirmed ? undefined : await newConfirmationLink(deps, owner, null);
  await queueMail(deps, deps.db, { to: owner.email, ...registrationAttemptMail(siteName(deps.config), { ...signInLinks(deps.config), activationUrl }) });
  return 'owner-told';
}

/** Registers an unconfirmed user and queues the activation e-mail, or mails the address's owner; throws VALIDATION_FAILED with field errors. */
export async function registerUser(deps: AccountDeps, form: RegistrationForm): Promise<Registration> {
  throwIfInvalid(checkRegistration(deps, form));
  // Hashed whatever the address (and before the transaction: hashing is slow), so a taken address
  // answers no faster than a new one.
  const passwordHash = await hashPassword(form.password1);
  return inTransaction(deps, async (tx): Promise<Registration> => {
    const owner = await findUserByEmail(tx, form.email);
    if (owner) return mailOwnerOfAddress(tx, owner);
    const user = await createUser(tx, {
      email: form.email, passwordHash, firstName: form.first_name, lastName: form.last_name,
      secondaryEmail: form.secondary_email || null, emailConfirmed: false, isActive: true,
    });
    await sendActivationLink(tx, user);
    await recordEvent(tx.db, userActor(user), { type: 'user.registered', subject: `user:${user.id}`, userId: user.id, changes: { after: { email: user.email } } });
    return 'created';
  }).catch((err: unknown) => {
    // A concurrent sign-up with the same address (or an account whose username it is) won the race: the same answer.
    if (err instanceof AppError && (err.code === 'EMAIL_TAKEN' || err.code === 'USERNAME_TAKEN')) return 'taken-concurrently' as const;
    throw err;
  });
}
