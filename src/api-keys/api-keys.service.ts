// API keys: issue, find by value, list, revoke, renew, rotate. Values are looked up by keyed
// hash in one indexed query and returned to their owner by decrypting the sealed copy.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { apiKeys, teamMembers, teams, users } from '../db/schema.ts';
import { lookupHash, seal, unseal, type SecretKeys } from '../crypto/keys.ts';
import { announceChange } from '../db/change-feed.ts';
import { canonicalKey } from './key-format.ts';

export type ApiKeyScope = 'resource' | 'management';
interface Deps { db: Db; keys: SecretKeys }

const DAY_MS = 24 * 3600 * 1000;

export function daysFromNow(days: number, now = Date.now()): Date {
  return new Date(now + days * DAY_MS);
}

export interface NewApiKey { userId: number; scope: ApiKeyScope; expiry: Date; revoked?: boolean; value?: string }

export async function createApiKey(deps: Deps, input: NewApiKey): Promise<{ id: number; key: string }> {
  const key = canonicalKey(input.value) ?? randomUUID();
  const [row] = await deps.db.insert(apiKeys).values({
    userId: input.userId, scope: input.scope, expiry: input.expiry, revoked: input.revoked ?? false,
    keyHash: lookupHash(deps.keys, key), keySealed: seal(deps.keys, key),
  }).returning({ id: apiKeys.id });
  return { id: row.id, key };
}

/** A key with what the checks need of its owner: one statement, by the indexed hash. */
export interface FoundKey {
  id: number; key: string; userId: number; scope: string; revoked: boolean; expiry: Date;
  owner: { email: string; username: string; isActive: boolean; isStaff: boolean; isSuperuser: boolean; teams: string[] };
}

export async function findApiKey(deps: Deps, value: unknown): Promise<FoundKey | undefined> {
  const key = canonicalKey(value);
  return key ? findApiKeyByHash(deps, key, lookupHash(deps.keys, key)) : undefined;
}

/** findApiKey for a canonical `key` whose keyed hash the caller has computed already (the key cache). */
export async function findApiKeyByHash(deps: { db: Db }, key: string, keyHash: string): Promise<FoundKey | undefined> {
  const teamNames = sql<string[] | null>`(select array_agg(${teams.name} order by ${teams.id}) from ${teamMembers}
    join ${teams} on ${teams.id} = ${teamMembers.teamId} where ${teamMembers.userId} = ${users.id})`;
  const [row] = await deps.db.select({
    id: apiKeys.id, userId: apiKeys.userId, scope: apiKeys.scope, revoked: apiKeys.revoked, expiry: apiKeys.expiry,
    email: users.email, username: users.username, isActive: users.isActive, isStaff: users.isStaff, isSuperuser: users.isSuperuser, teams: teamNames,
  }).from(apiKeys).innerJoin(users, eq(users.id, apiKeys.userId)).where(eq(apiKeys.keyHash, keyHash)).limit(1);
  if (!row) return undefined;
  const { email, username, isActive, isStaff, isSuperuser, teams: names, ...rest } = row;
  return { ...rest, key, expiry: new Date(rest.expiry), owner: { email, username, isActive, isStaff, isSuperuser, teams: names ?? [] } };
}

/** A key of the wanted scope, not revoked, not expired (docs/compatibility.md §2.8 "valid resource key"). */
export function isKeyUsable(k: Pick<FoundKey, 'revoked' | 'expiry' | 'scope'>, scope: ApiKeyScope, now = new Date()): boolean {
  return k.scope === scope && !k.revoked && k.expiry > now;
}

export interface ListedKey { id: number; key: string; scope: string; revoked: boolean; expiry: Date; createdAt: Date; lastUsedAt: Date | null }

/** The user's keys of one scope in creation order, values decrypted. */
export async function listKeysOfUser(deps: Deps, userId: number, scope: ApiKeyScope): Promise<ListedKey[]> {
  const rows = await deps.db.select().from(apiKeys).where(and(eq(apiKeys.userId, userId), eq(apiKeys.scope, scope))).orderBy(asc(apiKeys.id));
  return rows.map((r) => ({
    id: r.id, key: unseal(deps.keys, r.keySealed), scope: r.scope, revoked: r.revoked, expiry: r.expiry, createdAt: r.createdAt, lastUsedAt: r.lastUsedAt,
  }));
}

// Every change below announces topic `api-key` with the key's id, so the key caches of every
// node (key-cache.ts) drop it. Inside a caller's transaction pg_notify is delivered at commit.
async function announceKeyChanges(db: Db, ids: number[]): Promise<void> {
  for (const id of ids) await announceChange(db, 'api-key', String(id));
}

export async function setKeyRevoked(deps: Deps, id: number, revoked: boolean): Promise<void> {
  await deps.db.update(apiKeys).set({ revoked, lastModified: new Date() }).where(eq(apiKeys.id, id));
  await announceKeyChanges(deps.db, [id]);
}

export async function setKeyExpiry(deps: Deps, id: number, expiry: Date): Promise<void> {
  await deps.db.update(apiKeys).set({ expiry, lastModified: new Date() }).where(eq(apiKeys.id, id));
  await announceKeyChanges(deps.db, [id]);
}

export async function revokeKeys(deps: Deps, ids: number[]): Promise<void> {
  if (!ids.length) return;
  await deps.db.update(apiKeys).set({ revoked: true, lastModified: new Date() }).where(inArray(apiKeys.id, ids));
  await announceKeyChanges(deps.db, ids);
}

/**
 * Revokes the old key (optionally moving its expiry) and issues a new resource key. Run it in a
 * transaction (rotateApiKey does, with the audit entry) so that both or neither happen.
 */
export async function rotateKey(deps: Deps, old: { id: number; userId: number }, opts: { oldExpiry?: Date; newExpiry: Date }) {
  await deps.db.update(apiKeys).set({ revoked: true, lastModified: new Date(), ...(opts.oldExpiry ? { expiry: opts.oldExpiry } : {}) }).where(eq(apiKeys.id, old.id));
  const created = await createApiKey(deps, { userId: old.userId, scope: 'resource', expiry: opts.newExpiry });
  await announceKeyChanges(deps.db, [old.id]);
  return created;
}
