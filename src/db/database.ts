// What an open database is, whichever engine holds it: the types every module imports (through
// client.ts) and the statement counter both engines install. Apart from client.ts so that
// pglite.ts, which client.ts loads on demand, need not import client.ts back (no cycle).
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.ts';

type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Human-readable location for logs, without the password. */
  location: string;
  /** SQL statements sent so far through `db` (the statement budgets of the benchmark and tests). */
  statements(): number;
  /** Subscribes to PostgreSQL notifications on `channel` (cross-node cache invalidation). */
  listen(channel: string, onMessage: (payload: string) => void, options?: ListenOptions): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Told when the listening connection is lost (false) and when it listens again (true). */
  onState?: (connected: boolean) => void;
  /** A statement run on the listening connection after each LISTEN (the change feed's presence lock). */
  afterListen?: string;
}

/** Counts what drizzle sends; cheap enough to stay on in production. */
export function statementCounter() {
  let count = 0;
  return { logger: { logQuery: (q: string) => { count += 1; if (process.env.DJAM_DEBUG_SQL) console.error('SQL', q.slice(0, 160)); } }, read: () => count };
}
