// Opens the database: PostgreSQL when DJAM_DB_HOST is set, otherwise embedded PGlite in the
// data directory. Both speak the same SQL, so one schema and one migrations folder serve both.
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import * as schema from './schema.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { statementCounter, type Database, type Db, type ListenOptions } from './database.ts';

// The types live in database.ts, which pglite.ts shares without importing this file back.
export type { Database, Db } from './database.ts';

/** The application_name of listening connections (then the process id): operators and tests find them by it. */
export const LISTENER_APPLICATION_NAME = 'djam-change-feed';

export interface DbSettings {
  DJAM_DB_HOST?: string;
  DJAM_DB_PORT: number;
  DJAM_DB_NAME: string;
  DJAM_DB_USER: string;
  DJAM_DB_PASSWORD?: string;
  DJAM_DB_POOL_SIZE: number;
  DJAM_DATA_DIR: string;
}

export async function openDb(settings: DbSettings): Promise<Database> {
  if (settings.DJAM_DB_HOST) return openPostgres(settings);
  const dir = resolve(settings.DJAM_DATA_DIR, 'db');
  mkdirSync(dir, { recursive: true });
  const release = lockDataDir(`${dir}.lock`, resolve(settings.DJAM_DATA_DIR));
  try {
    // Loaded here only: a server on PostgreSQL never pays for the WebAssembly database.
    const { createPglite } = await import('./pglite.ts');
    const database = await createPglite(dir);
    return { ...database, close: () => database.close().finally(release) };
  } catch (err) {
    release();
    throw err;
  }
}

/** The statement a listening session runs. */
function listenStatement(channel: string): string {
  return `LISTEN "${channel.replaceAll('"', '')}"`;
}

// A listening connection that died without a word (a silent network partition) would leave its
// node trusting its caches: a probe on it every PROBE_MS must answer within as long, or the
// connection counts as lost (and TCP keepalive notices a vanished peer as well).
const PROBE_MS = 10_000;

/** LISTEN needs a connection of its own, outside the pool; it reconnects when dropped. */
function pgListener(config: pg.ClientConfig) {
  return async (channel: string, onMessage: (payload: string) => void, options: ListenOptions = {}) => {
    let client: pg.Client | undefined;
    let closed = false;
    const connect = async (): Promise<void> => {
      const c = new pg.Client({ ...config, application_name: `${LISTENER_APPLICATION_NAME} ${process.pid}`, keepAlive: true, query_timeout: PROBE_MS });
      client = c;
      let lost = false;
      // An error and an end may both come for one connection: it is retried once.
      const lose = () => {
        if (lost || closed) return;
        lost = true;
        options.onState?.(false);
        setTimeout(() => { if (!closed) void connect().catch(() => undefined); }, 1000).unref();
      };
      c.on('notification', (msg) => { if (msg.channel === channel) onMessage(msg.payload ?? ''); });
      c.on('error', lose);
      c.on('end', lose);
      try {
        await c.connect();
        await c.query(listenStatement(channel));
        if (options.afterListen) await c.query(options.afterListen);
      } catch (err) {
        lose();
        void c.end().catch(() => undefined);
        throw err;
      }
      const probe = setInterval(() => void c.query('select 1').catch(() => { lose(); void c.end().catch(() => undefined); }), PROBE_MS).unref();
      c.once('end', () => clearInterval(probe));
      options.onState?.(true);
    };
    try {
      await connect();
    } catch (err) {
      closed = true; // the first connection is the caller's to retry (start-up fails)
      throw err;
    }
    return async () => { closed = true; await client?.end().catch(() => undefined); };
  };
}

function openPostgres(s: DbSettings): Database {
  const connection = { host: s.DJAM_DB_HOST, port: s.DJAM_DB_PORT, database: s.DJAM_DB_NAME, user: s.DJAM_DB_USER, password: s.DJAM_DB_PASSWORD };
  const pool = new pg.Pool({ ...connection, max: s.DJAM_DB_POOL_SIZE });
  const counter = statementCounter();
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = drizzlePg(pool, { schema, logger: counter.logger }) as unknown as Db;
  return {
    db, kind: 'postgres', location: `PostgreSQL ${s.DJAM_DB_USER}@${s.DJAM_DB_HOST}:${s.DJAM_DB_PORT}/${s.DJAM_DB_NAME}`,
    statements: counter.read, listen: pgListener(connection),
    close: () => pool.end(),
  };
}
