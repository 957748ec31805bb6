// The codes of the e-mail confirmation links (docs/compatibility.md §2.2): 25 characters, valid 12 hours, one per
// user, replaced whenever a new link is sent and deleted when used; only a keyed hash is stored.
// A code is bound to the address it was mailed to when that is not yet the account's (a change of
// address), so that a link sent to one address can never confirm another.
import { randomInt } from 'node:crypto';
import { and, eq, isNotNull } from 'drizzle-orm';
import { userActivationCodes } from '../db/schema.ts';
import { lookupHash, safeEqual } from '../crypto/keys.ts';
import type { AccountDeps } from './accounts.deps.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const CODE_LENGTH = 25;
const CODE_TTL_MS = 12 * 3600 * 1000;

export type CodeRow = typeof userActivationCodes.$inferSelect;

function newCode(): string {
  return Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/**
 * Replaces the user's code with a new one, for `email` (a new address) or, when null, for the
 * account's own address; returns the link to mail.
 */
export async function newConfirmationLink(deps: AccountDeps, user: { id: number; uuid: string }, email: string | null): Promise<string> {
  const code = newCode();
  const row = { userId: user.id, codeHash: lookupHash(deps.keys, code), email, createdAt: new Date() };
  await deps.db.insert(userActivationCodes).values(row)
    .onConflictDoUpdate({ target: userActivationCodes.userId, set: { codeHash: row.codeHash, email, createdAt: row.createdAt } });
  return `${deps.config.baseUrl}/user/${user.uuid}/email_confirmation/?activation_code=${code}`;
}

/** The user's code row when `code` is its code, undefined otherwise. */
export async function findMatchingCode(deps: AccountDeps, userId: number, code: string): Promise<CodeRow | undefined> {
  const [row] = await deps.db.select().from(userActivationCodes).where(eq(userActivationCodes.userId, userId));
  if (!row || !code || code.length > 50 || !safeEqual(row.codeHash, lookupHash(deps.keys, code))) return undefined;
  return row;
}

export function isCodeExpired(row: CodeRow, now: Date): boolean {
  return now.getTime() - row.createdAt.getTime() > CODE_TTL_MS;
}

export async function deleteCode(deps: AccountDeps, row: CodeRow): Promise<void> {
  await deps.db.delete(userActivationCodes).where(and(eq(userActivationCodes.userId, row.userId), eq(userActivationCodes.codeHash, row.codeHash)));
}

/** Deletes the user's code for a new address, if any: the change it confirmed was withdrawn. */
export async function deleteChangeCode(deps: AccountDeps, userId: number): Promise<void> {
  await deps.db.delete(userActivationCodes).where(and(eq(userActivationCodes.userId, userId), isNotNull(userActivationCodes.email)));
}
