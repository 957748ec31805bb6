// A fresh, migrated database per test file: PostgreSQL when DJAM_TEST_DATABASE_URL is set
// (a new database created and dropped around the file), otherwise in-memory PGlite loaded from
// a migrated template dump cached on disk (initdb in WASM costs seconds; loading a dump ~0.5 s).
import { PGlite } from '@electric-sql/pglite';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDb, type Database } from '../../src/db/client.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { migrate, migrationsFolder } from '../../src/db/migrate.ts';

export const testDatabaseUrl = process.env.DJAM_TEST_DATABASE_URL;

function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(migrationsFolder).sort()) if (f.endsWith('.sql')) h.update(readFileSync(join(migrationsFolder, f)));
  return h.digest('hex').slice(0, 16);
}

async function pgliteTemplate(): Promise<Blob> {
  const path = join(tmpdir(), `djam-pglite-template-${migrationsHash()}.tar.gz`);
  if (existsSync(path)) return new Blob([readFileSync(path)]);
  const client = await PGlite.create();
  await migrate(openPglite(client));
  const dump = await client.dumpDataDir('gzip');
  await client.close();
  const tmp = `${path}.${process.pid}`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, path); // atomic: parallel test files never read a half-written template
  return dump;
}

async function openPostgresTestDb(url: string): Promise<Database & { settings: Record<string, string> }> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const name = `djam_test_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  const settings = {
    DJAM_DB_HOST: u.hostname, DJAM_DB_PORT: u.port || '5432', DJAM_DB_NAME: name,
    DJAM_DB_USER: decodeURIComponent(u.username) || 'postgres', DJAM_DB_PASSWORD: decodeURIComponent(u.password),
  };
  const database = await openDb({ ...settings, DJAM_DB_PORT: Number(settings.DJAM_DB_PORT), DJAM_DB_POOL_SIZE: 5, DJAM_DATA_DIR: tmpdir() });
  await migrate(database);
  return {
    ...database, settings,
    close: async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** A migrated database and the DJAM_DB_* settings a child process (the CLI) needs to reach it. */
export async function openTestDatabase(): Promise<Database & { settings: Record<string, string> }> {
  if (testDatabaseUrl) return openPostgresTestDb(testDatabaseUrl);
  const client = await PGlite.create({ loadDataDir: await pgliteTemplate() });
  return { ...openPglite(client), settings: {} };
}
