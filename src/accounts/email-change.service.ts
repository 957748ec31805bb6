// Changing the e-mail address of an account (docs/compatibility.md §6.9, issue #17 item 5). A new address proves
// nothing until its owner follows the link mailed to it: until then it is only pending, and the
// old address stays the account's e-mail, for signing in and in the `email`/`email_verified`
// claims. Otherwise anyone signed in could claim `ceo@corp.example`, verified, to relying parties
// that link accounts by e-mail. The old address hears of the request and of the change.
import { queueMail } from '../mail/index.ts';
import { userActor } from '../access/index.ts';
import { AppError } from '../errors.ts';
import { recordEvent } from '../events/index.ts';
import { findUserByEmail, findUserByUsername, normaliseEmail, setPendingEmail, switchToPendingEmail, type User } from '../users/index.ts';
import { inTransaction, siteName, type AccountDeps } from './accounts.deps.ts';
import { deleteChangeCode, deleteCode, isCodeExpired, newConfirmationLink, type CodeRow } from './confirmation-codes.ts';
import { confirmNewEmailMail, emailChangedMail, emailChangeRequestedMail } from './views/emails.ts';

export type EmailChangeOutcome = 'email-changed' | 'email-taken' | 'change-expired' | 'stale-change';

/** Both addresses are the same mailbox: addresses are compared case-insensitively, as at sign-in. */
export function isSameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Records `email` as the user's pending address, mails it a link, and tells the address in force. */
export async function requestEmailChange(deps: AccountDeps, user: User, email: string): Promise<string> {
  const newEmail = normaliseEmail(email);
  await setPendingEmail(deps, user.id, newEmail);
  const url = await newConfirmationLink(deps, user, newEmail);
  const site = siteName(deps.config);
  await queueMail(deps, deps.db, { to: newEmail, ...confirmNewEmailMail(site, url) });
  await queueMail(deps, deps.db, { to: user.email, ...emailChangeRequestedMail(site, user, newEmail) });
  return newEmail;
}

/** The pending address is dropped and its link stops working. */
export async function withdrawEmailChange(deps: AccountDeps, userId: number): Promise<void> {
  await setPendingEmail(deps, userId, null);
  await deleteChangeCode(deps, userId);
}

async function isTakenByAnother(deps: AccountDeps, userId: number, email: string): Promise<boolean> {
  const owner = (await findUserByEmail(deps, email)) ?? (await findUserByUsername(deps, email));
  return owner !== undefined && owner.id !== userId;
}

/**
 * The link of a change of address was followed (`row` is its matching code, for `user`'s pending
 * address): the address becomes the account's, confirmed, unless the link is too old or another
 * account took the address meanwhile, which both drop the change.
 */
export async function applyEmailChange(deps: AccountDeps, user: User, row: CodeRow & { email: string }, now: Date): Promise<EmailChangeOutcome> {
  const refused = isCodeExpired(row, now) ? 'change-expired' : (await isTakenByAnother(deps, user.id, row.email)) ? 'email-taken' : undefined;
  if (refused) {
    await withdrawEmailChange(deps, user.id);
    return refused;
  }
  const saved = await switchToPendingEmail(deps, user.id, row.email);
  await deleteCode(deps, row);
  await queueMail(deps, deps.db, { to: user.email, ...emailChangedMail(siteName(deps.config), saved, saved.email) });
  await recordEvent(deps.db, userActor(user), { type: 'user.email_changed', subject: `user:${user.id}`, userId: user.id, changes: { before: { email: user.email }, after: { email: saved.email } } });
  return 'email-changed';
}

/** Runs `fn` in a transaction; an address taken by a concurrent sign-up or change reads as 'email-taken'. */
export function inChangeTransaction<T>(deps: AccountDeps, fn: (tx: AccountDeps) => Promise<T | EmailChangeOutcome>): Promise<T | EmailChangeOutcome> {
  return inTransaction(deps, fn).catch((err: unknown) => {
    if (err instanceof AppError && (err.code === 'EMAIL_TAKEN' || err.code === 'USERNAME_TAKEN')) return 'email-taken' as const;
    throw err;
  });
}
