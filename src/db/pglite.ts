// The embedded database: PGlite (PostgreSQL compiled to WebAssembly) behind drizzle's PGlite
// driver. client.ts imports this module only when no DJAM_DB_HOST is set, so a server on
// PostgreSQL never loads PGlite or its driver (resident memory it would never use).
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { statementCounter, type Database, type Db } from './database.ts';
import * as schema from './schema.ts';

// PostgreSQL's default of 128 MB of shared buffers is touched as PGlite starts, so it is resident
// in the WebAssembly memory from the first second (about 150 MB more RSS at idle than 16 MB).
// A small server's hot pages fit in 16 MB; the others are read again from the OS page cache.
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

export function openPglite(client: PGlite, location = 'memory'): Database {
  const counter = statementCounter();
  const db = drizzle(client, { schema, logger: counter.logger }) as unknown as Db;
  return {
    db, kind: 'pglite', location: `embedded PGlite (${location})`, statements: counter.read,
    listen: async (channel, onMessage) => {
      const unsubscribe = await client.listen(channel, onMessage);
      return async () => { await unsubscribe(); };
    },
    close: () => client.close(),
  };
}

/** A PGlite database in `dir`, or in memory (thrown away on close) without one. */
export async function createPglite(dir?: string): Promise<Database> {
  return openPglite(await PGlite.create(dir, { startParams: START_PARAMS }), dir);
}
