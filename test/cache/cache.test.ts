// #20 §3: the cache primitive's two guarantees, which no HTTP client can time precisely enough to
// observe: a fill racing a change is not kept, and a node without its change feed answers from
// the loader only. The feed is the real one, on a real database; only its LISTEN connection (the
// process edge) is played by the test, so that it can be lost and regained at will. The same
// guarantees over two real nodes: test/ops/two-nodes-feed.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCache, createCacheRegistry } from '../../src/cache/index.ts';
import { openChangeFeed } from '../../src/db/change-feed.ts';
import type { Database } from '../../src/db/client.ts';
import { openTestDatabase } from '../helpers/test-database.ts';

async function feedWithPlayedConnection(t: { after(fn: () => Promise<void>): void }) {
  const database = await openTestDatabase();
  let setConnected: (connected: boolean) => void = () => undefined;
  const listen: Database['listen'] = async (_channel, _onMessage, options) => {
    setConnected = (connected) => options?.onState?.(connected);
    return async () => undefined;
  };
  const changes = await openChangeFeed({ db: database.db, listen });
  t.after(async () => { await changes.close(); await database.close(); });
  const caches = createCacheRegistry(changes);
  let loads = 0;
  // Each load answers the row as read by that load: 'row 1 #2' is the second read of row 1.
  const cache = createCache<number, string>(caches, {
    name: 'test', ttlMs: 60_000, maxEntries: 10,
    load: async (id) => { loads += 1; return `row ${id} #${loads}`; },
    dropOn: { user: { key: Number } },
  });
  return {
    changes, cache, loads: () => loads,
    lose: () => setConnected(false),
    regain: () => setConnected(true),
  };
}

test('#20 a fill that read a row before a concurrent change is answered, but not kept', async (t) => {
  const f = await feedWithPlayedConnection(t);
  const racing = f.cache.get(1); // the load is under way: its row was read before the commit…
  f.changes.deliver({ topic: 'user', id: '1' }); // …that this change announces
  assert.equal(await racing, 'row 1 #1');
  assert.equal(await f.cache.get(1), 'row 1 #2', 'the next read loads again instead of answering the stale row');
  assert.equal(await f.cache.get(1), 'row 1 #2', 'a fill with no change meanwhile is kept');
});

test('#20 a node that lost its change feed answers from the loader only, and keeps nothing from before', async (t) => {
  const f = await feedWithPlayedConnection(t);
  await f.cache.get(1);
  assert.equal(await f.cache.get(1), 'row 1 #1', 'kept while the feed is live');
  f.lose();
  assert.equal(f.changes.isLive(), false);
  await f.cache.get(1);
  await f.cache.get(1);
  assert.equal(f.loads(), 3, 'every read goes to the loader while the feed is down');
  f.regain();
  assert.equal(f.changes.isLive(), true);
  await f.cache.get(1);
  assert.equal(f.loads(), 4, 'nothing from before the loss is answered after it');
  await f.cache.get(1);
  assert.equal(f.loads(), 4);
  assert.equal(f.changes.stats.reconnects, 1);
});
