// Cross-node cache invalidation: a change is announced with pg_notify, delivered to every server
// process connected to the database when the change commits. The announcing process is also told
// at once, in memory, so its own next request never sees the old value.
import { EventEmitter } from 'node:events';
import { sql } from 'drizzle-orm';
import type { Db } from './client.ts';

export const CHANGE_CHANNEL = 'djam_changes';
const local = new EventEmitter();

export async function announceChange(db: Db, topic: string, id: string): Promise<void> {
  const payload = `${topic}:${id}`;
  await db.execute(sql`select pg_notify(${CHANGE_CHANNEL}, ${payload})`);
  local.emit('change', payload);
}

/** Calls `onChange` for changes announced here and, through `listen`, on other nodes. */
export async function subscribeToChanges(
  listen: ((channel: string, cb: (payload: string) => void) => Promise<() => Promise<void>>) | undefined,
  onChange: (change: { topic: string; id: string }) => void,
): Promise<() => Promise<void>> {
  const handle = (payload: string) => {
    const i = payload.indexOf(':');
    if (i > 0) onChange({ topic: payload.slice(0, i), id: payload.slice(i + 1) });
  };
  local.on('change', handle);
  const unlisten = listen ? await listen(CHANGE_CHANNEL, handle) : async () => undefined;
  return async () => { local.off('change', handle); await unlisten(); };
}
