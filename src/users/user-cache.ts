// Users as the provider's findAccount reads them on every token and userinfo request: kept in
// memory for half a minute and dropped at once on every node when a user changes
// (db/change-feed.ts, topic `user`).
import type { Db } from '../db/client.ts';
import { findUser, type User } from './users.service.ts';

const TTL_MS = 30_000;
const MAX_ENTRIES = 20_000;

export interface UserCache {
  get(id: number): Promise<User | undefined>;
  /** Keeps a user just read with the signed-in session, so the token request that follows needs no query. */
  remember(user: User): void;
  invalidate(id: number): void;
}

export function createUserCache(db: Db, ttlMs = TTL_MS): UserCache {
  const entries = new Map<number, { user: User; expiresMs: number }>();
  const remember = (user: User) => {
    if (entries.size >= MAX_ENTRIES) entries.clear();
    entries.set(user.id, { user, expiresMs: Date.now() + ttlMs });
  };
  return {
    async get(id) {
      const hit = entries.get(id);
      if (hit && hit.expiresMs > Date.now()) return hit.user;
      const user = await findUser({ db }, id);
      if (user) remember(user);
      return user;
    },
    remember,
    invalidate: (id) => { entries.delete(id); },
  };
}
