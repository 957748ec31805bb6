// The one cache primitive (STYLE.md "State between requests"): TTL, a size bound, a loader, and
// the change topics that drop entries, declared where the cache is made. Entries are also
// dropped on every node when the change feed is lost or regained (registry.ts), and while it is
// down every read goes to the loader: a node that may have missed a change never answers from
// memory.
//
// The generation guard: a fill that started before a drop may carry the row as it was before
// the change (read just before a concurrent commit). It is answered, but not kept.
import type { Change, ChangeTopic } from '../db/change-feed.ts';
import type { CacheRegistry } from './registry.ts';

/** How a change of a topic drops entries: all of them, the one its id names, or those matching. */
type Drop<K, V> = 'all' | { key: (id: string) => K } | { where: (value: V, id: string, key: K) => boolean };

interface CacheOptions<K, V> {
  name: string;
  ttlMs: number;
  maxEntries: number;
  /** Reads the value on a miss; `undefined` (not found) is never kept. */
  load?: (key: K) => Promise<V | undefined>;
  dropOn: { [T in ChangeTopic]?: Drop<K, V> };
  /** The value's own end (a session's expiry): its entry never outlives it. Epoch ms. */
  expiresAtMs?: (value: V) => number;
}

export interface Cache<K, V> {
  /** The value, from memory while the feed is live and the entry fresh, else from `load`. */
  get(key: K, load?: () => Promise<V | undefined>): Promise<V | undefined>;
  /** Keeps a value just written or read by the caller (ignored while the feed is down). */
  set(key: K, value: V): void;
  delete(key: K): void;
}

interface Entry<V> { value: V; expiresMs: number }

export function createCache<K, V>(registry: CacheRegistry, opts: CacheOptions<K, V>): Cache<K, V> {
  // Map order is recency order: a hit moves its entry to the end, the first entry goes when full.
  const entries = new Map<K, Entry<V>>();
  let generation = 0;
  const dropWhere = (match: (value: V, key: K) => boolean) => {
    for (const [key, entry] of entries) if (match(entry.value, key)) entries.delete(key);
  };
  const apply = (change: Change) => {
    const drop = opts.dropOn[change.topic];
    if (!drop) return;
    generation += 1;
    if (drop === 'all') entries.clear();
    else if ('key' in drop) entries.delete(drop.key(change.id));
    else dropWhere((value, key) => drop.where(value, change.id, key));
  };
  const clear = () => { generation += 1; entries.clear(); };
  registry.register({ name: opts.name, apply, clear });

  const keep = (key: K, value: V) => {
    entries.delete(key);
    if (entries.size >= opts.maxEntries) entries.delete(entries.keys().next().value!);
    const own = opts.expiresAtMs?.(value) ?? Infinity;
    entries.set(key, { value, expiresMs: Math.min(Date.now() + opts.ttlMs, own) });
  };
  return {
    async get(key, load) {
      const loader = load ?? (opts.load && (() => opts.load!(key)));
      if (!loader) throw new Error(`cache ${opts.name}: no loader`);
      if (!registry.isLive()) return loader();
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        if (hit.expiresMs > Date.now()) {
          entries.set(key, hit);
          return hit.value;
        }
      }
      const startedAt = generation;
      const value = await loader();
      if (value !== undefined && startedAt === generation && registry.isLive()) keep(key, value);
      return value;
    },
    set(key, value) { if (registry.isLive()) keep(key, value); },
    delete(key) { generation += 1; entries.delete(key); },
  };
}
