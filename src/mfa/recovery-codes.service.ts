// Recovery codes (#22): ten single-use codes, made when the first factor is added and on request
// (the old ones die). Only their keyed hashes are stored; a code used is gone.
import { randomInt } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { mfaRecoveryCodes } from '../db/schema.ts';
import { lookupHash, type SecretKeys } from '../crypto/keys.ts';
import { assertMay, audited, type Actor, type UserTarget } from '../access/index.ts';

const COUNT = 10;
// No 0/o, 1/l/i: read from paper and typed again.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

function newCode(): string {
  const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

/** The form a code is hashed in: what a person may type (case, spaces, a missing dash) folds away. */
function normalised(code: string): string {
  const bare = code.toLowerCase().replace(/[^a-z0-9]/g, '');
  return bare.length === 10 ? `${bare.slice(0, 5)}-${bare.slice(5)}` : bare;
}

const hashOf = (keys: SecretKeys, userId: number, code: string) => lookupHash(keys, `recovery-code:${userId}:${normalised(code)}`);

/** Replaces the user's codes with ten new ones, returned in clear this once. */
export async function regenerateRecoveryCodes(deps: { db: Db; keys: SecretKeys }, actor: Actor, user: UserTarget & { id: number }): Promise<string[]> {
  assertMay(actor, 'mfa.manage', user);
  const codes = Array.from({ length: COUNT }, newCode);
  return audited(deps.db, actor, async (tx) => {
    await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, user.id));
    await tx.insert(mfaRecoveryCodes).values(codes.map((c) => ({ userId: user.id, codeHash: hashOf(deps.keys, user.id, c) })));
    return { action: 'mfa.recovery-codes-generated', entityType: 'user', entityId: user.id, after: { count: COUNT }, result: codes };
  });
}

/** Spends a recovery code: true once per code, in one statement (two concurrent uses: one wins). */
export async function useRecoveryCode(deps: { db: Db; keys: SecretKeys }, userId: number, code: string): Promise<boolean> {
  if (code.length > 40) return false;
  const [row] = await deps.db.update(mfaRecoveryCodes).set({ usedAt: new Date() })
    .where(and(eq(mfaRecoveryCodes.userId, userId), eq(mfaRecoveryCodes.codeHash, hashOf(deps.keys, userId, code)), isNull(mfaRecoveryCodes.usedAt)))
    .returning({ id: mfaRecoveryCodes.id });
  return row !== undefined;
}

export async function countUnusedRecoveryCodes(deps: { db: Db }, userId: number): Promise<number> {
  const [row] = await deps.db.select({ n: sql<number>`count(*)::int` }).from(mfaRecoveryCodes)
    .where(and(eq(mfaRecoveryCodes.userId, userId), isNull(mfaRecoveryCodes.usedAt)));
  return row.n;
}
