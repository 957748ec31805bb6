// E-mail confirmation (DJAM §2.2, §6.5, §6.6): a 25-character code per user, valid 12 hours,
// replaced whenever a new link is sent and deleted when used. Only its keyed hash is stored.
import { randomInt } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { announceChange } from '../db/change-feed.ts';
import { userActivationCodes, users } from '../db/schema.ts';
import { lookupHash, safeEqual } from '../crypto/keys.ts';
import { queueMail } from '../mail/index.ts';
import { findUserByEmail, type User } from '../users/index.ts';
import { inTransaction, type AccountDeps } from './accounts.deps.ts';
import { requireEmailField } from './form-input.ts';
import { activationMail } from './views/emails.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const CODE_LENGTH = 25;
const ACTIVATION_CODE_TTL_MS = 12 * 3600 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

function newCode(): string {
  return Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/**
 * Replaces the user's code with a new one and queues the activation e-mail, both with `deps.db`
 * (pass the transaction that created the user, so that no user exists without a link sent).
 */
export async function sendActivationLink(deps: AccountDeps, user: Pick<User, 'id' | 'uuid' | 'email'>): Promise<void> {
  const code = newCode();
  const row = { userId: user.id, codeHash: lookupHash(deps.keys, code), createdAt: new Date() };
  await deps.db.insert(userActivationCodes).values(row)
    .onConflictDoUpdate({ target: userActivationCodes.userId, set: { codeHash: row.codeHash, createdAt: row.createdAt } });
  const url = `${deps.config.baseUrl}/user/${user.uuid}/email_confirmation/?activation_code=${code}`;
  await queueMail(deps, deps.db, { to: user.email, ...activationMail(url) });
}

export type Confirmation = 'unknown-user' | 'already-confirmed' | 'bad-code' | 'expired' | 'confirmed';

/** Checks in the original's order (§6.5); a used code is gone, so a replay reads "already confirmed". */
export function confirmEmail(deps: AccountDeps, uuid: string, code: string, now = new Date()): Promise<Confirmation> {
  return inTransaction(deps, async ({ db, keys }) => {
    const [user] = await db.select({ id: users.id, emailConfirmed: users.emailConfirmed }).from(users).where(eq(users.uuid, uuid)).for('update');
    if (!user) return 'unknown-user';
    if (user.emailConfirmed) return 'already-confirmed';
    const [row] = await db.select().from(userActivationCodes).where(eq(userActivationCodes.userId, user.id));
    if (!row || !code || code.length > 50 || !safeEqual(row.codeHash, lookupHash(keys, code))) return 'bad-code';
    if (now.getTime() - row.createdAt.getTime() > ACTIVATION_CODE_TTL_MS) return 'expired';
    await db.update(users).set({ emailConfirmed: true, updatedAt: now }).where(eq(users.id, user.id));
    await announceChange(db, 'user', String(user.id)); // the email_verified claim changed
    await db.delete(userActivationCodes).where(and(eq(userActivationCodes.userId, user.id), eq(userActivationCodes.codeHash, row.codeHash)));
    return 'confirmed';
  });
}

type Resend = 'unknown-user' | 'already-confirmed' | 'sent';

/** A fresh code and e-mail for an unconfirmed user (§6.6); inactive users count as unknown. */
export async function resendActivation(deps: AccountDeps, email: string): Promise<Resend> {
  requireEmailField(email);
  const user = await findUserByEmail(deps, email);
  if (!user || !user.isActive) return 'unknown-user';
  if (user.emailConfirmed) return 'already-confirmed';
  await inTransaction(deps, (tx) => sendActivationLink(tx, user));
  return 'sent';
}
