// Which clients have a login prevention at all: a small set, read on every authorize request.
// It is kept in memory for a minute and reloaded at once when a prevention changes anywhere
// (db/change-feed.ts), so the common case, a client without one, costs no statement.
import { eq } from 'drizzle-orm';
import { createCache, type CacheRegistry } from '../cache/index.ts';
import type { Db } from '../db/client.ts';
import { loginPreventions, oauthClients } from '../db/schema.ts';

export interface PreventionIndex { has(clientId: string): Promise<boolean> }

export function createPreventionIndex(caches: CacheRegistry, db: Db): PreventionIndex {
  const index = createCache<'all', Set<string>>(caches, {
    name: 'login-preventions', ttlMs: 60_000, maxEntries: 1,
    load: async () => new Set((await db.select({ id: oauthClients.clientId }).from(loginPreventions)
      .innerJoin(oauthClients, eq(oauthClients.id, loginPreventions.clientId))).map((r) => r.id)),
    dropOn: { 'login-prevention': 'all' },
  });
  return { has: async (clientId) => (await index.get('all'))!.has(clientId) };
}
