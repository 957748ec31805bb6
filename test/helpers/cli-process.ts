// The CLI as a real child process (`node bin/djam.js`), and the real server started afterwards on
// the data the CLI wrote: the PGlite data directory (opened only once no child uses it) or the
// same PostgreSQL test database, with the same DJAM_SECRET_KEY.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { deriveKeys } from '../../src/crypto/keys.ts';
import { openDb, type Database } from '../../src/db/client.ts';
import { ensureSigningKey } from '../../src/signing-keys/index.ts';
import { freePort } from './start-server.ts';

const repoRoot = new URL('../..', import.meta.url).pathname;

export interface CliOutcome { code: number | null; stdout: string; stderr: string }
export type CliEnv = Record<string, string | undefined>;

/** The test runner's environment without any DJAM_* setting, so only what a test passes counts. */
export function cleanEnv(): CliEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('DJAM_')));
}

/** Runs `djam args`; `input`, when given, is piped to its stdin (answers to its questions). */
export function runCli(args: string[], env: CliEnv, timeoutMs = 120_000, input?: string): Promise<CliOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/djam.js', ...args], { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(input); // no input: stdin at its end at once, as a script without a terminal
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk; });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk; });
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function assertNoStackTrace(out: CliOutcome): void {
  assert.doesNotMatch(out.stderr, /^\s+at .+:\d+:\d+\)?$/m, `no stack trace:\n${out.stderr}`);
}

/** Opens the CLI's data (PGlite data directory, or the PostgreSQL test database as it is). */
export async function openCliData(dataDir: string, secretKey: string, testDb: Database | undefined): Promise<Database> {
  if (testDb) return { ...testDb, close: async () => undefined };
  return openDb(loadConfig({ DJAM_SECRET_KEY: secretKey, DJAM_DATA_DIR: dataDir }, '/nonexistent/.env'));
}

export async function startServerOnCliData(dataDir: string, secretKey: string, testDb: Database | undefined) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    SITEURL: `${url}/`, DJAM_SECRET_KEY: secretKey, DJAM_DATA_DIR: dataDir, DJAM_LOG_LEVEL: process.env.DJAM_TEST_LOG_LEVEL ?? 'silent',
  }, '/nonexistent/.env');
  const database = await openCliData(dataDir, secretKey, testDb);
  const keys = deriveKeys(secretKey);
  await ensureSigningKey({ db: database.db, keys }); // as the server's start does
  const app = await buildApp({ config, db: database.db, keys });
  await app.app.listen({ host: '127.0.0.1', port });
  return {
    url, database, keys,
    async close() {
      await app.app.close();
      await database.close();
    },
  };
}
