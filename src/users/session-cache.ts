// Browser sessions as every page, authorize and interaction request reads them: kept in memory
// for half a minute and dropped at once on every node when the session ends (topic `session`)
// or its user changes (topic `user`, which password changes and deactivations announce).
import { createCache, type CacheRegistry } from '../cache/index.ts';
import type { Db } from '../db/client.ts';
import { findSessionByHash, type SessionCache } from './sessions.service.ts';

export function createSessionCache(caches: CacheRegistry, db: Db): SessionCache {
  return createCache(caches, {
    name: 'sessions', ttlMs: 30_000, maxEntries: 20_000,
    load: (hash) => findSessionByHash({ db }, hash),
    expiresAtMs: (session) => session.expiresAt.getTime(),
    dropOn: { session: { key: (hash) => hash }, user: { where: (session, id) => session.user.id === Number(id) } },
  });
}
