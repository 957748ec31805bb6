// E-mail confirmation and activation resend (docs/compatibility.md §2.2, §6.5, §6.6). The link of a change of
// address (email-change.service.ts) goes to the same page; its code says which address it proves.
import { eq } from 'drizzle-orm';
import { userActor } from '../access/index.ts';
import { announceChange } from '../db/change-feed.ts';
import { users } from '../db/schema.ts';
import { recordEvent } from '../events/index.ts';
import { queueMail } from '../mail/index.ts';
import { findUserByEmail, type User } from '../users/index.ts';
import { inTransaction, siteName, type AccountDeps } from './accounts.deps.ts';
import { deleteCode, findMatchingCode, isCodeExpired, newConfirmationLink } from './confirmation-codes.ts';
import { applyEmailChange, inChangeTransaction, isSameAddress, type EmailChangeOutcome } from './email-change.service.ts';
import { requireEmailField } from './form-input.ts';
import { activationMail, alreadyConfirmedMail } from './views/emails.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * Replaces the user's code with a new one and queues the activation e-mail, both with `deps.db`
 * (pass the transaction that created the user, so that no user exists without a link sent).
 */
export async function sendActivationLink(deps: AccountDeps, user: Pick<User, 'id' | 'uuid' | 'email'>): Promise<void> {
  const url = await newConfirmationLink(deps, user, null);
  await queueMail(deps, deps.db, { to: user.email, ...activationMail(url) });
}

export type Confirmation = 'unknown-user' | 'already-confirmed' | 'bad-code' | 'expired' | 'confirmed' | EmailChangeOutcome;
/** `email`: the new address, when the link was one of a change of address. */
interface ConfirmationResult { outcome: Confirmation; email?: string }

/**
 * Checks in the original's order (docs/compatibility.md §6.5); a used code is gone, so a replay reads "already
 * confirmed". A code mailed to a pending new address applies that change, and nothing else: it
 * never confirms the account's own address.
 */
export async function confirmEmail(deps: AccountDeps, uuid: string, code: string, now = new Date()): Promise<ConfirmationResult> {
  let email: string | undefined;
  const outcome = await inChangeTransaction<Confirmation>(deps, async (tx) => {
    const [user] = await tx.db.select().from(users).where(eq(users.uuid, uuid)).for('update');
    if (!user) return 'unknown-user';
    const row = await findMatchingCode(tx, user.id, code);
    if (row?.email) {
      email = row.email;
      return user.pendingEmail && isSameAddress(user.pendingEmail, email) ? applyEmailChange(tx, user, { ...row, email }, now) : 'bad-code';
    }
    if (user.pendingEmail && !row) return 'stale-change'; // an older link of the change, replaced by the latest
    if (user.emailConfirmed) return 'already-confirmed';
    if (!row) return 'bad-code';
    if (isCodeExpired(row, now)) return 'expired';
    await tx.db.update(users).set({ emailConfirmed: true, updatedAt: now }).where(eq(users.id, user.id));
    await announceChange(tx.db, 'user', String(user.id)); // the email_verified claim changed
    await deleteCode(tx, row);
    await recordEvent(tx.db, userActor(user), { type: 'user.email_confirmed', subject: `user:${user.id}`, userId: user.id, changes: { door: 'activation-link', after: { email: user.email } } });
    return 'confirmed';
  });
  return { outcome, email };
}

/** Where the owner of an existing account goes instead: the sign-in and password-reset pages. */
export function signInLinks(config: AccountDeps['config']): { loginUrl: string; resetUrl: string } {
  return { loginUrl: config.loginUrl, resetUrl: `${config.baseUrl}/accounts/password_reset/` };
}

type Resend = 'nothing' | 'already-confirmed' | 'sent';

/**
 * Mails the owner of the address what they need (docs/compatibility.md §6.6): a fresh activation link for an account not
 * confirmed yet, a note that there is nothing to activate for a confirmed one; nothing for an
 * unknown or inactive address. The caller answers the same in every case (#17 item 8).
 */
export async function resendActivation(deps: AccountDeps, email: string): Promise<Resend> {
  requireEmailField(email);
  return inTransaction(deps, async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (!user || !user.isActive) return 'nothing';
    if (user.emailConfirmed) {
      await queueMail(tx, tx.db, { to: user.email, ...alreadyConfirmedMail(siteName(deps.config), signInLinks(deps.config)) });
      return 'already-confirmed';
    }
    await sendActivationLink(tx, user);
    return 'sent';
  });
}
