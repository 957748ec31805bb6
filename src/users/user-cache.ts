// Users as the provider's findAccount reads them on every token and userinfo request: kept in
// memory for half a minute and dropped at once on every node when a user changes
// (db/change-feed.ts, topic `user`).
import { createCache, type Cache, type CacheRegistry } from '../cache/index.ts';
import type { Db } from '../db/client.ts';
import { findUser, type User } from './users.service.ts';

/** `set` keeps a user just read with the signed-in session, so the token request that follows needs no query. */
export type UserCache = Cache<number, User>;

export function createUserCache(caches: CacheRegistry, db: Db): UserCache {
  return createCache(caches, {
    name: 'users', ttlMs: 30_000, maxEntries: 20_000,
    load: (id) => findUser({ db }, id),
    dropOn: { user: { key: Number } },
  });
}
