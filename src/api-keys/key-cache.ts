// Key checks (GeoServer's authkey introspection, the proxy's `?authkey=`) are the hottest reads of
// the server, and keys change rarely: found keys are kept in memory, by a keyed hash, and
// dropped at once when a change is announced on any node (db/change-feed.ts): `api-key` (revoke,
// renew, rotate, delete), `user` (the owner's flags, name or deletion) and `privileges` (teams,
// whose names the answer carries). Callers still test revoked, expiry and isActive on every hit
// against the current clock, so a key that expires meanwhile is refused from the cache too.
import { hash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { lookupHash, type SecretKeys } from '../crypto/keys.ts';
import { findApiKeyByHash, type FoundKey } from './api-keys.service.ts';
import { canonicalKey } from './key-format.ts';

// A safety net only: announced changes are what drop an entry.
const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;
// Entries are found by a keyed hash of the key, never the key itself: SHA-256 under a salt drawn
// at start, a quarter of the cost of the HMAC the database lookup needs (computed on a miss only).
const SALT = randomBytes(16).toString('hex');
const entryKey = (key: string) => hash('sha256', SALT + key, 'base64');

export interface KeyCache {
  /** findApiKey, answered from memory when the key was found recently. Unknown keys are not kept. */
  find(value: unknown): Promise<FoundKey | undefined>;
  forgetKey(id: number): void;
  forgetUser(userId: number): void;
  forgetAll(): void;
}

export function createKeyCache(deps: { db: Db; keys: SecretKeys }, ttlMs = TTL_MS): KeyCache {
  // Map order is recency order: a hit moves its entry to the end, the first entry goes when full.
  const entries = new Map<string, { found: FoundKey; expiresMs: number }>();
  // A lookup under way when something changed may carry the old row: it is answered, not kept.
  // (A change announced inside a transaction is heard here before its commit, and again from
  // PostgreSQL after it, before the request that made it answers: see db/change-feed.ts.)
  let generation = 0;
  const forgetWhere = (drop: (found: FoundKey) => boolean) => {
    for (const [hash, entry] of entries) if (drop(entry.found)) entries.delete(hash);
    generation += 1;
  };

  return {
    async find(value) {
      const key = canonicalKey(value);
      if (!key) return undefined;
      const id = entryKey(key);
      const hit = entries.get(id);
      if (hit) {
        entries.delete(id);
        if (hit.expiresMs > Date.now()) {
          entries.set(id, hit);
          return hit.found;
        }
      }
      const startedAt = generation;
      const found = await findApiKeyByHash(deps, key, lookupHash(deps.keys, key));
      if (found && startedAt === generation) {
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
        entries.set(id, { found, expiresMs: Date.now() + ttlMs });
      }
      return found;
    },
    forgetKey: (id) => forgetWhere((found) => found.id === id),
    forgetUser: (userId) => forgetWhere((found) => found.userId === userId),
    forgetAll: () => forgetWhere(() => true),
  };
}
