// API keys as staff see them in the admin API: every user's keys, searched by key or owner
// e-mail and filtered by revoked, scope and expiry, as the original admin list (docs/compatibility.md §9).
import { and, count, eq, gte, ilike, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { apiKeys, users } from '../db/schema.ts';
import { likePattern, offsetOf, orderFor, type Page, type PageRequest } from '../db/paging.ts';
import { lookupHash, unseal, type SecretKeys } from '../crypto/keys.ts';
import { AppError } from '../errors.ts';
import { announceChange } from '../db/change-feed.ts';
import { canonicalKey } from './key-format.ts';

interface Deps { db: Db; keys: SecretKeys }

export interface AdminKeyView {
  id: number; key: string; userId: number; userEmail: string; scope: string; revoked: boolean;
  expiry: Date; createdAt: Date; lastModified: Date | null; lastUsedAt: Date | null;
}

export interface KeyFilters { revoked?: boolean; scope?: string; expired?: boolean; userId?: number }

const columns = {
  id: apiKeys.id, keySealed: apiKeys.keySealed, userId: apiKeys.userId, userEmail: users.email, scope: apiKeys.scope,
  revoked: apiKeys.revoked, expiry: apiKeys.expiry, createdAt: apiKeys.createdAt, lastModified: apiKeys.lastModified, lastUsedAt: apiKeys.lastUsedAt,
};

function toView(keys: SecretKeys, row: { keySealed: string } & Omit<AdminKeyView, 'key'>): AdminKeyView {
  const { keySealed, ...rest } = row;
  return { ...rest, key: unseal(keys, keySealed) };
}

export async function listApiKeysPage(deps: Deps, req: PageRequest, filters: KeyFilters, now = new Date()): Promise<Page<AdminKeyView>> {
  const conditions: SQL[] = [];
  if (filters.revoked !== undefined) conditions.push(eq(apiKeys.revoked, filters.revoked));
  if (filters.scope !== undefined) conditions.push(eq(apiKeys.scope, filters.scope));
  if (filters.expired !== undefined) conditions.push(filters.expired ? lt(apiKeys.expiry, now) : gte(apiKeys.expiry, now));
  if (filters.userId !== undefined) conditions.push(eq(apiKeys.userId, filters.userId));
  if (req.search) {
    // A whole key is found by its hash (values are stored sealed); anything else searches owners' e-mail.
    const key = canonicalKey(req.search);
    conditions.push(key ? eq(apiKeys.keyHash, lookupHash(deps.keys, key)) : ilike(users.email, likePattern(req.search)));
  }
  const where = and(...conditions);
  const rows = await deps.db.select(columns).from(apiKeys).innerJoin(users, eq(users.id, apiKeys.userId)).where(where)
    .orderBy(...orderFor(req.sort ?? 'user', { user: users.email, expiry: apiKeys.expiry, created_at: apiKeys.createdAt, scope: apiKeys.scope }, apiKeys.id))
    .limit(req.pageSize).offset(offsetOf(req));
  const [{ n }] = await deps.db.select({ n: count() }).from(apiKeys).innerJoin(users, eq(users.id, apiKeys.userId)).where(where);
  return { items: rows.map((r) => toView(deps.keys, r)), total: n, page: req.page, pageSize: req.pageSize };
}

export async function getApiKey(deps: Deps, id: number): Promise<AdminKeyView> {
  const [row] = Number.isSafeInteger(id)
    ? await deps.db.select(columns).from(apiKeys).innerJoin(users, eq(users.id, apiKeys.userId)).where(eq(apiKeys.id, id)).limit(1)
    : [];
  if (!row) throw new AppError('API_KEY_NOT_FOUND', { details: { id } });
  return toView(deps.keys, row);
}

export async function deleteApiKey(deps: Deps, id: number): Promise<void> {
  await deps.db.delete(apiKeys).where(eq(apiKeys.id, id));
  await announceChange(deps.db, 'api-key', String(id)); // the key caches of every node drop it
}
