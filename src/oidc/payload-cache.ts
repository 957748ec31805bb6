// The provider rows a browser flow reads again at every step (Session, Interaction) and that
// every token exchange reads (Grant), kept in memory by the node that wrote or read them, so an
// authorize → consent → resume sequence reads none of them back from the database.
//
// Other nodes hear of every change: the statement that writes these rows also announces them on
// the change feed (write-buffer.ts), and each node drops its copies. Nothing here is a
// credential check of its own: the DJAM browser session (confirmed on every node when it ends)
// gates every authorization, so a copy that is stale for the moment a notification takes can
// at worst show a consent page again. The short lifetime bounds a notification that was missed.
import { randomUUID } from 'node:crypto';
import type { CacheRegistry } from '../cache/index.ts';

export const CACHED_MODELS: ReadonlySet<string> = new Set(['Session', 'Interaction', 'Grant']);
const TTL_MS = 60_000;
const MAX_ENTRIES = 20_000;

interface CachedRow { payload: Record<string, unknown>; uid: string | null; consumed: boolean }
interface Entry { row: CachedRow; expiresMs: number }

export interface PayloadCache {
  /** This process: the change feed carries it so a node ignores its own announcements. */
  readonly nodeId: string;
  get(model: string, hash: string): CachedRow | undefined;
  findByUid(model: string, uid: string): { hash: string; row: CachedRow } | undefined;
  set(model: string, hash: string, row: CachedRow, expiresAt?: Date | null): void;
  delete(model: string, hash: string): void;
}

const keyOf = (model: string, hash: string) => `${model}/${hash}`;

/** The change-feed message announcing changed rows (`model/hash` keys), from this node. */
export function announcement(nodeId: string, keys: string[]): string {
  return [nodeId, ...keys].join(' ');
}

// Two maps (rows and a uid index) with their own announcement format: a member of the cache
// registry of its own rather than a cache.ts cache, emptied with the others when the feed drops,
// and bypassed while it is down.
export function createPayloadCache(caches: CacheRegistry): PayloadCache {
  const entries = new Map<string, Entry>();
  const uids = new Map<string, string>(); // `model/uid` → hash
  const drop = (key: string) => {
    const entry = entries.get(key);
    if (entry?.row.uid) uids.delete(keyOf(key.slice(0, key.indexOf('/')), entry.row.uid));
    entries.delete(key);
  };
  const live = (key: string) => {
    if (!caches.isLive()) return undefined;
    const entry = entries.get(key);
    if (entry && entry.expiresMs <= Date.now()) drop(key);
    return entry && entry.expiresMs > Date.now() ? entry.row : undefined;
  };
  const nodeId = randomUUID();
  // The `oidc` change-feed message of another node: `<nodeId> <model>/<hash> …`.
  const applyAnnouncement = (message: string) => {
    const [from, ...keys] = message.split(' ');
    if (from === nodeId) return;
    for (const key of keys) drop(key);
  };
  caches.register({
    name: 'oidc-payloads',
    apply: (change) => { if (change.topic === 'oidc') applyAnnouncement(change.id); },
    clear: () => { entries.clear(); uids.clear(); },
  });
  return {
    nodeId,
    get: (model, hash) => live(keyOf(model, hash)),
    findByUid(model, uid) {
      const hash = uids.get(keyOf(model, uid));
      const row = hash === undefined ? undefined : live(keyOf(model, hash));
      return hash !== undefined && row ? { hash, row } : undefined;
    },
    set(model, hash, row, expiresAt) {
      if (!CACHED_MODELS.has(model) || !caches.isLive()) return;
      if (entries.size >= MAX_ENTRIES) { entries.clear(); uids.clear(); }
      const key = keyOf(model, hash);
      drop(key);
      entries.set(key, { row, expiresMs: Math.min(Date.now() + TTL_MS, expiresAt?.getTime() ?? Infinity) });
      if (row.uid) uids.set(keyOf(model, row.uid), hash);
    },
    delete: (model, hash) => drop(keyOf(model, hash)),
  };
}
