// Users as the provider's findAccount reads them on every token and userinfo request: kept in
// memory for half a minute and dropped at once on every node when a user changes
// (db/change-feed.ts, topic `user`).
import type { Db } from '../db/client.ts';
import { findUser, type User } from './users.service.ts';

const TTL_MS = 30_000;
const MAX_ENTRIES = 20_000;

export interface UserCache { get(id: number): Promise<User | undefined>; invalidate(id: number): void }

export function createUserCache(db: Db, ttlMs = TTL_MS): UserCache {
  const entries = new Map<number, { user: User; expiresMs: number }>();
  return {
    async get(id) {
      const hit = entries.get(id);
      if (hit && hit.expiresMs > Date.now()) return hit.user;
      const user = await findUser({ db }, id);
      if (user) {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entries.set(id, { user, expiresMs: Date.now() + ttlMs });
      }
      return user;
    },
    invalidate: (id) => { entries.delete(id); },
  };
}
