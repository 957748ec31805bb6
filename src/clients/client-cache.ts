// Clients are read on every token, introspection and authorize request but change rarely: rows
// are kept in memory for a minute, and dropped at once on every node when a change is announced
// (see db/change-feed.ts). Unknown ids are not cached, so a new client is visible immediately.
import { createCache, type Cache, type CacheRegistry } from '../cache/index.ts';
import type { Db } from '../db/client.ts';
import { findClientByClientId, type ClientRow } from './clients.service.ts';

export type ClientCache = Cache<string, ClientRow>;

export function createClientCache(caches: CacheRegistry, db: Db): ClientCache {
  return createCache(caches, {
    name: 'clients', ttlMs: 60_000, maxEntries: 5_000,
    load: (clientId) => findClientByClientId({ db }, clientId),
    dropOn: { client: { key: (clientId) => clientId } },
  });
}
