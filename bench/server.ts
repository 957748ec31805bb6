// The bench's server under test: its environment (a throw-away data directory, and on
// PostgreSQL a database of its own, created here and dropped at the end), the child process
// that runs `src/main.ts`, and the clean stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type Env = Record<string, string>;

interface Storage {
  kind: 'postgres' | 'pglite';
  env: Env;
  /** Drops what the bench created: the PostgreSQL database and the data directory. */
  dispose(): Promise<void>;
}

/** PostgreSQL when asked for (or DJAM_DB_HOST is set): a fresh database on that server, never the configured one. */
export async function prepareStorage(base: Env, usePg: boolean): Promise<Storage> {
  const dataDir = mkdtempSync(join(tmpdir(), 'djam-bench-'));
  const removeDir = async () => rmSync(dataDir, { recursive: true, force: true });
  if (!usePg) return { kind: 'pglite', env: { ...base, DJAM_DATA_DIR: dataDir }, dispose: removeDir };
  const connection = {
    host: base.DJAM_DB_HOST || '127.0.0.1', port: Number(base.DJAM_DB_PORT || 5432),
    user: base.DJAM_DB_USER || 'postgres', password: base.DJAM_DB_PASSWORD || '',
  };
  const name = `djam_bench_${Date.now()}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ ...connection, database: 'postgres' });
    await client.connect();
    try { await client.query(sql); } finally { await client.end(); }
  };
  await admin(`CREATE DATABASE ${name}`);
  const env = {
    ...base, DJAM_DATA_DIR: dataDir, DJAM_DB_HOST: connection.host, DJAM_DB_PORT: String(connection.port),
    DJAM_DB_USER: connection.user, DJAM_DB_PASSWORD: connection.password, DJAM_DB_NAME: name,
  };
  return { kind: 'postgres', env, dispose: async () => { await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); await removeDir(); } };
}

export async function waitReady(base: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before it answered`);
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the server did not answer /healthz within 30 s');
}

/** The arguments of `node` in package.json's `start` script: the bench measures the server as `npm start` runs it, V8 flags included. */
function startArguments(): string[] {
  const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } };
  const [command, ...args] = scripts.start.trim().split(/\s+/);
  if (command !== 'node') throw new Error(`npm start runs "${command}", not node: bench/server.ts cannot start it`);
  return args;
}

/** `node [--cpu-prof] <npm start's arguments>`. */
export function startServer(env: Env, cpuProfileDir?: string): ChildProcess {
  const profile = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [];
  return spawn(process.execPath, [...profile, ...startArguments()], { env, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** SIGTERM and wait: the server drains and exits 0 (and writes its CPU profile when asked). */
export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
