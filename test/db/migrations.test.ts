// The committed migrations: they bring an empty database to the schema of src/db/schema.ts, a
// second run changes nothing, and drizzle-kit finds nothing left to generate from the schema.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { getTableName, is, sql, type SQL } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { openDb, type Database } from '../../src/db/client.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { migrate, migrationsFolder } from '../../src/db/migrate.ts';
import * as schema from '../../src/db/schema.ts';
import { testDatabaseUrl } from '../helpers/test-database.ts';

const run = promisify(execFile);
const repoRoot = new URL('../..', import.meta.url).pathname;

interface Journal { entries: Array<{ idx: number; tag: string; when: number }> }

function journal(folder = migrationsFolder): Journal {
  return JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as Journal;
}

async function rows<T>(database: Database, query: SQL): Promise<T[]> {
  const result = await database.db.execute(query) as unknown as { rows: T[] };
  return result.rows;
}

/** An empty database (not migrated, unlike openTestDatabase()): PostgreSQL or in-memory PGlite. */
async function openEmptyDatabase(): Promise<Database> {
  if (!testDatabaseUrl) return openPglite(await PGlite.create());
  const name = `djam_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(testDatabaseUrl);
  const database = await openDb({
    DJAM_DB_HOST: u.hostname, DJAM_DB_PORT: Number(u.port || 5432), DJAM_DB_NAME: name, DJAM_DB_USER: decodeURIComponent(u.username) || 'postgres',
    DJAM_DB_PASSWORD: decodeURIComponent(u.password), DJAM_DB_POOL_SIZE: 2, DJAM_DATA_DIR: tmpdir(),
  });
  return {
    ...database,
    close: async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: testDatabaseUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** Every table schema.ts declares, with its column names. */
function declaredTables(): Map<string, string[]> {
  const tables = Object.values(schema as Record<string, unknown>).filter((value): value is PgTable => is(value, PgTable));
  return new Map(tables.map((t) => [getTableName(t), getTableConfig(t).columns.map((c) => c.name).sort()]));
}

async function actualTables(database: Database): Promise<Map<string, string[]>> {
  const found = await rows<{ table_name: string; column_name: string }>(database, sql`
    select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'`);
  const out = new Map<string, string[]>();
  for (const r of found) out.set(r.table_name, [...(out.get(r.table_name) ?? []), r.column_name].sort());
  return out;
}

async function appliedMigrations(database: Database): Promise<Array<{ hash: string; created_at: string }>> {
  return rows(database, sql`select hash, created_at::text as created_at from drizzle.__drizzle_migrations order by created_at`);
}

test('migrating an empty database reaches head, and a second run is a no-op', async (t) => {
  const database = await openEmptyDatabase();
  t.after(() => database.close());
  assert.equal((await actualTables(database)).size, 0, 'the database starts empty');

  await migrate(database);
  const declared = declaredTables();
  assert.ok(declared.size >= 9, 'schema.ts declares the tables');
  assert.deepEqual(Object.fromEntries(await actualTables(database)), Object.fromEntries(declared), 'every declared table and column exists, nothing else');
  const applied = await appliedMigrations(database);
  const entries = journal().entries;
  assert.equal(applied.length, entries.length, 'every migration of the journal is recorded');
  assert.equal(Number(applied.at(-1)!.created_at), entries.at(-1)!.when, 'the last one recorded is the head of the journal');

  await migrate(database);
  assert.deepEqual(await appliedMigrations(database), applied, 'the second run applies nothing');
  assert.deepEqual(Object.fromEntries(await actualTables(database)), Object.fromEntries(declared));
});

/** Runs `drizzle-kit generate` against a copy of the migrations; returns the new .sql files and the output. */
async function generateInto(folder: string): Promise<{ added: string[]; output: string }> {
  const before = new Set(readdirSync(folder));
  // drizzle-kit prefixes --out with "./", so an absolute path would not work: pass it relative.
  const { stdout, stderr } = await run(process.execPath, [
    'node_modules/drizzle-kit/bin.cjs', 'generate', '--dialect', 'postgresql', '--schema', './src/db/schema.ts', '--out', relative(repoRoot, folder),
  ], { cwd: repoRoot, timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  const added = readdirSync(folder).filter((f) => f.endsWith('.sql') && !before.has(f));
  return { added, output: `${stdout}\n${stderr}` };
}

function copyOfMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'djam-migrations-'));
  cpSync(migrationsFolder, dir, { recursive: true });
  return dir;
}

test('src/db/schema.ts and src/db/migrations agree (drizzle-kit generates nothing)', async (t) => {
  const dir = copyOfMigrations();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { added, output } = await generateInto(dir);
  assert.deepEqual(added, [], `schema.ts changed without a migration; run \`npm run db:generate\` and commit the result.\n${output}`);
  // drizzle-kit exits 0 even when it could not read the folder: insist on its verdict.
  assert.match(output, /No schema changes, nothing to migrate/, output);
});

test('the drift check is not vacuous: a snapshot missing a column makes drizzle-kit generate a migration', async (t) => {
  const dir = copyOfMigrations();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const head = journal(dir).entries.at(-1)!;
  const snapshotPath = join(dir, 'meta', `${String(head.idx).padStart(4, '0')}_snapshot.json`);
  const snapshot = JSON.parse(readFileSync(snapshotPath, 'utf8')) as { tables: Record<string, { columns: Record<string, unknown> }> };
  delete snapshot.tables['public.users'].columns.legacy_user_id;
  writeFileSync(snapshotPath, JSON.stringify(snapshot, null, 2));
  const { added, output } = await generateInto(dir);
  assert.equal(added.length, 1, output);
  assert.match(readFileSync(join(dir, added[0]), 'utf8'), /ALTER TABLE "users" ADD COLUMN "legacy_user_id" integer/);
});
