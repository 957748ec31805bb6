// Every cache of a node, behind its change feed: each change reaches the caches that declared
// its topic, and all of them are emptied when the feed is lost (the node may miss changes from
// then on) and again when it is regained. While the feed is down, isLive() is false and caches
// answer from the database only (cache.ts).
import type { Change, ChangeFeed } from '../db/change-feed.ts';

interface CacheMember { name: string; apply(change: Change): void; clear(): void }

export interface CacheRegistry {
  isLive(): boolean;
  register(member: CacheMember): void;
}

export function createCacheRegistry(feed: ChangeFeed): CacheRegistry {
  const members: CacheMember[] = [];
  feed.subscribe((change) => { for (const m of members) m.apply(change); });
  feed.onLiveness(() => { for (const m of members) m.clear(); });
  return { isLive: () => feed.isLive(), register: (member) => { members.push(member); } };
}
