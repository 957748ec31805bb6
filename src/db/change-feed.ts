// Cross-node cache invalidation: a change is announced with pg_notify, delivered to every server
// process connected to the database when the change commits. The announcing process is also told
// at once, in memory, so its own next request never sees the old value.
//
// Delivery takes a moment, so a request that announced changes answers only once every node has
// applied them (confirmAnnounced): after its commit it sends a barrier, and each listening node
// acknowledges the barrier when it reaches it. PostgreSQL delivers notifications in commit order,
// so a node that acknowledges has handled the changes. A client holding node A's answer then
// finds the change in force on node B. The nodes are counted as the sessions listening on the
// channel (pg_stat_activity shows them when every node connects as the same database user).
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { sql } from 'drizzle-orm';
import { listenStatement, type Database, type Db } from './client.ts';

export const CHANGE_CHANNEL = 'djam_changes';
// A node that has not acknowledged by then (stuck, or dying) is not waited for any longer.
const CONFIRM_TIMEOUT_MS = 2000;
const BARRIER = 'barrier:';
const ACK = 'ack:';

const local = new EventEmitter();
const requestScope = new AsyncLocalStorage<{ announced: boolean }>();
/** Barriers this process waits on: nonce → called with the id of each listener that acknowledged. */
const barriers = new Map<string, (listenerId: string) => void>();

const notify = (db: Db, payload: string) => db.execute(sql`select pg_notify(${CHANGE_CHANNEL}, ${payload})`);

export async function announceChange(db: Db, topic: string, id: string): Promise<void> {
  const payload = `${topic}:${id}`;
  await notify(db, payload);
  local.emit('change', payload);
  const scope = requestScope.getStore();
  if (scope) scope.announced = true;
}

/** Runs `fn` (the handling of one request) noting whether it announces changes. */
export function trackAnnouncements<T>(fn: () => T): T {
  return requestScope.run({ announced: false }, fn);
}

/** At the end of a request that announced changes: resolves once every node has applied them. */
export async function confirmAnnounced(db: Db): Promise<void> {
  const scope = requestScope.getStore();
  if (!scope?.announced) return;
  scope.announced = false;
  await confirmChanges(db);
}

/** Resolves once every listening node has handled every change committed so far. */
export async function confirmChanges(db: Db): Promise<void> {
  const listeners = await countListeners(db);
  if (!listeners) return;
  const nonce = randomUUID();
  const acknowledged = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const reached = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CONFIRM_TIMEOUT_MS);
    barriers.set(nonce, (listenerId) => {
      acknowledged.add(listenerId);
      if (acknowledged.size >= listeners) resolve();
    });
  });
  // Confirmation is a courtesy to the client: a database error here must not fail the change.
  if (await notify(db, `${BARRIER}${nonce}`).then(() => true, () => false)) await reached;
  clearTimeout(timer);
  barriers.delete(nonce);
}

async function countListeners(db: Db): Promise<number> {
  const result = await db.execute(sql`select count(*)::int as n from pg_stat_activity
    where datname = current_database() and query = ${listenStatement(CHANGE_CHANNEL)}`).catch(() => undefined);
  return (result as unknown as { rows?: Array<{ n: number }> } | undefined)?.rows?.[0]?.n ?? 0;
}

/** Calls `onChange` for changes announced here and, through `listen`, on other nodes. */
export async function subscribeToChanges(
  deps: { db: Db; listen?: Database['listen'] },
  onChange: (change: { topic: string; id: string }) => void,
): Promise<() => Promise<void>> {
  const listenerId = randomUUID();
  const handle = (payload: string) => {
    if (payload.startsWith(BARRIER)) {
      void notify(deps.db, `${ACK}${payload.slice(BARRIER.length)}:${listenerId}`).catch(() => undefined);
      return;
    }
    if (payload.startsWith(ACK)) {
      const [nonce, from] = payload.slice(ACK.length).split(':');
      barriers.get(nonce)?.(from);
      return;
    }
    const i = payload.indexOf(':');
    if (i > 0) onChange({ topic: payload.slice(0, i), id: payload.slice(i + 1) });
  };
  local.on('change', handle);
  const unlisten = deps.listen ? await deps.listen(CHANGE_CHANNEL, handle) : async () => undefined;
  return async () => { local.off('change', handle); await unlisten(); };
}
