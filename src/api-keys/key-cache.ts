// Key checks (GeoServer's authkey introspection, the proxy's `?authkey=`) are the hottest reads of
// the server, and keys change rarely: found keys are kept in memory, by a keyed hash, and
// dropped at once when a change is announced on any node (db/change-feed.ts): `api-key` (revoke,
// renew, rotate, delete), `user` (the owner's flags, name or deletion) and `privileges` (teams,
// whose names the answer carries). Callers still test revoked, expiry and isActive on every hit
// against the current clock, so a key that expires meanwhile is refused from the cache too.
import { hash, randomBytes } from 'node:crypto';
import { createCache, type CacheRegistry } from '../cache/index.ts';
import type { Db } from '../db/client.ts';
import { lookupHash, type SecretKeys } from '../crypto/keys.ts';
import { findApiKeyByHash, type FoundKey } from './api-keys.service.ts';
import { canonicalKey } from './key-format.ts';

// Entries are found by a keyed hash of the key, never the key itself: SHA-256 under a salt drawn
// at start, a quarter of the cost of the HMAC the database lookup needs (computed on a miss only).
const SALT = randomBytes(16).toString('hex');
const entryKey = (key: string) => hash('sha256', SALT + key, 'base64');

export interface KeyCache {
  /** findApiKey, answered from memory when the key was found recently. Unknown keys are not kept. */
  find(value: unknown): Promise<FoundKey | undefined>;
}

export function createKeyCache(caches: CacheRegistry, deps: { db: Db; keys: SecretKeys }): KeyCache {
  // The TTL is a safety net only: announced changes are what drop an entry. A lookup under way
  // when something changed may carry the old row: it is answered, not kept (cache.ts). (A change
  // announced inside a transaction is heard here before its commit, and again from PostgreSQL
  // after it, before the request that made it answers: see db/change-feed.ts.)
  const entries = createCache<string, FoundKey>(caches, {
    name: 'api-keys', ttlMs: 30_000, maxEntries: 10_000,
    dropOn: {
      'api-key': { where: (found, id) => found.id === Number(id) },
      user: { where: (found, id) => found.userId === Number(id) },
      privileges: 'all', // team names travel with a key's owner
    },
  });
  return {
    async find(value) {
      const key = canonicalKey(value);
      if (!key) return undefined;
      return entries.get(entryKey(key), () => findApiKeyByHash(deps, key, lookupHash(deps.keys, key)));
    },
  };
}
