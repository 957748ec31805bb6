// Opens the database: PostgreSQL when DJAM_DB_HOST is set, otherwise embedded PGlite in the
// data directory. Both speak the same SQL, so one schema and one migrations folder serve both.
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import * as schema from './schema.ts';
import { lockDataDir } from './data-dir-lock.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Human-readable location for logs, without the password. */
  location: string;
  close(): Promise<void>;
}

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
    const database = openPglite(await PGlite.create(dir), dir);
    return { ...database, close: () => database.close().finally(release) };
  } catch (err) {
    release();
    throw err;
  }
}

export function openPglite(client: PGlite, location = 'memory'): Database {
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: 'pglite', location: `embedded PGlite (${location})`, close: () => client.close() };
}

function openPostgres(s: DbSettings): Database {
  const pool = new pg.Pool({
    host: s.DJAM_DB_HOST, port: s.DJAM_DB_PORT, database: s.DJAM_DB_NAME,
    user: s.DJAM_DB_USER, password: s.DJAM_DB_PASSWORD, max: s.DJAM_DB_POOL_SIZE,
  });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db, kind: 'postgres', location: `PostgreSQL ${s.DJAM_DB_USER}@${s.DJAM_DB_HOST}:${s.DJAM_DB_PORT}/${s.DJAM_DB_NAME}`,
    close: () => pool.end(),
  };
}
