// Cross-node cache invalidation: a change is announced with pg_notify, delivered to every server
// process connected to the database when the change commits. The announcing node is also told
// at once, in memory, so its own next request never sees the old value.
//
// Delivery takes a moment, so a request that announced changes answers only once every node has
// applied them (confirmAnnounced): after its commit it sends a barrier, and each listening node
// acknowledges the barrier when it reaches it. PostgreSQL delivers notifications in commit order,
// so a node that acknowledges has handled the changes. A client holding node A's answer then
// finds the change in force on node B.
//
// The nodes are counted by a shared advisory lock each one holds on its listening connection
// (pg_locks shows every session's locks to every database user, unlike pg_stat_activity, which
// hides other users' statements), so a node connecting as another user is still waited for; a
// node whose connection dies releases the lock with it. A node that does not acknowledge within
// CONFIRM_TIMEOUT_MS is not waited for any longer (counted in stats.confirmTimeouts, a metric).
//
// A node whose listening connection is lost (closed, killed, or silent: client.ts probes it) cannot
// know what it missed: it is "not live" until the connection listens again; its caches are
// emptied when it goes down and again when it comes back, and answer from the database
// meanwhile (cache/).
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database, Db } from './client.ts';

export const CHANGE_CHANNEL = 'djam_changes';

/** What a change is about; each cache names the topics that drop its entries. */
const CHANGE_TOPICS = ['client', 'login-prevention', 'user', 'session', 'oidc', 'privileges', 'api-key', 'signing-key'] as const;
export type ChangeTopic = (typeof CHANGE_TOPICS)[number];
export interface Change { topic: ChangeTopic; id: string }
const KNOWN_TOPICS: ReadonlySet<string> = new Set(CHANGE_TOPICS);

const CONFIRM_TIMEOUT_MS = 2000;
const BARRIER = 'barrier:';
const ACK = 'ack:';
// pg_advisory_lock_shared(key1, key2): 'djam' as an int4, then 1 for the change feed.
const PRESENCE_KEY1 = 0x646a616d;
const PRESENCE_KEY2 = 1;
const TAKE_PRESENCE = `select pg_advisory_lock_shared(${PRESENCE_KEY1}, ${PRESENCE_KEY2})`;

export interface ChangeFeed {
  /** False while this node may have missed changes: its caches must not answer. */
  isLive(): boolean;
  subscribe(onChange: (change: Change) => void): () => void;
  /** Called on every change of isLive(). */
  onLiveness(fn: (live: boolean) => void): () => void;
  /** Tells this node's subscribers of a change at once (announceChange does, in a request). */
  deliver(change: Change): void;
  /** Resolves once every listening node has handled every change committed so far (bounded). */
  confirm(): Promise<void>;
  readonly stats: { reconnects: number; confirmTimeouts: number };
  close(): Promise<void>;
}

export interface FeedOptions {
  /** `node` (default) acknowledges barriers and is counted; `client` (the CLI) only waits for nodes. */
  role?: 'node' | 'client';
  confirmTimeoutMs?: number;
}

const notify = (db: Db, payload: string) => db.execute(sql`select pg_notify(${CHANGE_CHANNEL}, ${payload})`);

async function countNodes(db: Db): Promise<number> {
  const result = await db.execute(sql`select count(*)::int as n from pg_locks where locktype = 'advisory'
    and classid = ${PRESENCE_KEY1} and objid = ${PRESENCE_KEY2} and objsubid = 2 and granted
    and database = (select oid from pg_database where datname = current_database())`).catch(() => undefined);
  return (result as unknown as { rows?: Array<{ n: number }> } | undefined)?.rows?.[0]?.n ?? 0;
}

function parseChange(payload: string): Change | undefined {
  const i = payload.indexOf(':');
  const topic = payload.slice(0, i);
  return i > 0 && KNOWN_TOPICS.has(topic) ? { topic: topic as ChangeTopic, id: payload.slice(i + 1) } : undefined;
}

/** Listens on the change channel (when `listen` is given: without it this process is alone). */
export async function openChangeFeed(deps: { db: Db; listen?: Database['listen'] }, opts: FeedOptions = {}): Promise<ChangeFeed> {
  const role = opts.role ?? 'node';
  const listenerId = randomUUID();
  const subscribers = new Set<(change: Change) => void>();
  const livenessWatchers = new Set<(live: boolean) => void>();
  const barriers = new Map<string, (listenerId: string) => void>();
  const stats = { reconnects: 0, confirmTimeouts: 0 };
  let live = true;
  const setLive = (next: boolean) => {
    if (next === live) return;
    live = next;
    if (next) stats.reconnects += 1;
    for (const fn of livenessWatchers) fn(next);
  };
  const deliver = (change: Change) => { for (const fn of subscribers) fn(change); };
  const handle = (payload: string) => {
    if (payload.startsWith(BARRIER)) {
      if (role === 'node') void notify(deps.db, `${ACK}${payload.slice(BARRIER.length)}:${listenerId}`).catch(() => undefined);
      return;
    }
    if (payload.startsWith(ACK)) {
      const [nonce, from] = payload.slice(ACK.length).split(':');
      barriers.get(nonce)?.(from);
      return;
    }
    const change = parseChange(payload);
    if (change) deliver(change);
  };
  // Changes committed after LISTEN are heard: the node is live again as soon as it listens.
  const unlisten = deps.listen
    ? await deps.listen(CHANGE_CHANNEL, handle, { onState: setLive, afterListen: role === 'node' ? TAKE_PRESENCE : undefined })
    : async () => undefined;

  // While this node's own connection is down it cannot hear the acknowledgements: it waits the
  // whole timeout, the other nodes' usual delay many times over, rather than answer at once.
  async function confirm(): Promise<void> {
    const nodes = await countNodes(deps.db);
    if (!nodes) return;
    const nonce = randomUUID();
    const acknowledged = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    const reached = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), opts.confirmTimeoutMs ?? CONFIRM_TIMEOUT_MS);
      barriers.set(nonce, (from) => {
        acknowledged.add(from);
        if (acknowledged.size >= nodes) resolve(true);
      });
    });
    // Confirmation is a courtesy to the client: a database error here must not fail the change.
    if (await notify(deps.db, `${BARRIER}${nonce}`).then(() => true, () => false)) {
      if (!(await reached)) stats.confirmTimeouts += 1;
    }
    clearTimeout(timer);
    barriers.delete(nonce);
  }

  return {
    isLive: () => live,
    subscribe(fn) { subscribers.add(fn); return () => { subscribers.delete(fn); }; },
    onLiveness(fn) { livenessWatchers.add(fn); return () => { livenessWatchers.delete(fn); }; },
    deliver, confirm, stats,
    async close() {
      subscribers.clear();
      await unlisten();
    },
  };
}

// The request being handled: its feed, and whether it announced a change.
const requestScope = new AsyncLocalStorage<{ feed: ChangeFeed; announced: boolean }>();

/** Announces a change to every node (on commit, when `db` is a transaction). */
export async function announceChange(db: Db, topic: ChangeTopic, id: string): Promise<void> {
  await notify(db, `${topic}:${id}`);
  const scope = requestScope.getStore();
  if (!scope) return;
  scope.feed.deliver({ topic, id });
  scope.announced = true;
}

/** Runs `fn` (the handling of one request) noting whether it announces changes. */
export function trackAnnouncements<T>(feed: ChangeFeed, fn: () => T): T {
  return requestScope.run({ feed, announced: false }, fn);
}

/** At the end of a request that announced changes: resolves once every node has applied them. */
export async function confirmAnnounced(): Promise<void> {
  const scope = requestScope.getStore();
  if (!scope?.announced) return;
  scope.announced = false;
  await scope.feed.confirm();
}

/**
 * The confirmation of the current request, for a reply written outside Fastify (the hijacked
 * provider replies, oidc/mount.ts): resolves at once unless the request announced a change.
 */
export function announcementConfirmer(): () => Promise<void> {
  const scope = requestScope.getStore();
  return async () => {
    if (!scope?.announced) return;
    scope.announced = false;
    await scope.feed.confirm();
  };
}
