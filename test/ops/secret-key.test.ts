// #20 A node whose secret key is not its database's stops at start-up with one line saying what to
// do, instead of dying later with "Unsupported state or unable to authenticate data"; and on
// PostgreSQL outside the local profile no node-local key is generated at all. Real server processes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cleanEnv } from '../helpers/cli-process.ts';
import { openSharedDatabase, startServerProcess } from '../helpers/server-process.ts';
import { freePort } from '../helpers/start-server.ts';
import { testDatabaseUrl } from '../helpers/test-database.ts';

const repoRoot = new URL('../..', import.meta.url).pathname;
const SAME_KEY = 'set the same DJAM_SECRET_KEY on every node';

/** Starts `src/main.ts` and resolves when it exits (it must, within 60 s), with its exit code and stderr. */
async function startExpectingExit(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...cleanEnv(), DJAM_HOST: '127.0.0.1', DJAM_PORT: String(port), SITEURL: `http://127.0.0.1:${port}/`, DJAM_LOG_FORMAT: 'json',
      DJAM_LOG_LEVEL: 'warn', DJAM_DATA_DIR: mkdtempSync(join(tmpdir(), 'djam-key-')), ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk; });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk; });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stderr, stdout };
}

function assertOneLine(out: { stderr: string }, pattern: RegExp): void {
  const lines = out.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${out.stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(out.stderr, /Unsupported state|at .+\.ts:\d+/, 'no crypto error, no stack');
}

describe('#20 a node started with another secret key than its database', { timeout: 240_000 }, () => {
  it('embedded database: restarted under another DJAM_SECRET_KEY, it stops with one line and exit 1', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'djam-key-'));
    const first = await startServerProcess({ DJAM_DATA_DIR: dataDir, DJAM_SECRET_KEY: randomBytes(32).toString('hex') });
    assert.equal(await first.stop(), 0);

    const out = await startExpectingExit({ DJAM_DATA_DIR: dataDir, DJAM_SECRET_KEY: randomBytes(32).toString('hex') });
    assert.equal(out.code, 1);
    assertOneLine(out, new RegExp(`^This database was set up with another secret key than this node's \\(DJAM_SECRET_KEY\\): ${SAME_KEY}\\.$`));
  });

  it('PostgreSQL: a second node with no DJAM_SECRET_KEY and a fresh data dir stops with one line, before and after the first node ran', { skip: testDatabaseUrl ? false : 'needs DJAM_TEST_DATABASE_URL' }, async (t) => {
    const shared = await openSharedDatabase();
    t.after(() => shared.database.close());
    const { DJAM_SECRET_KEY: _key, ...withoutKey } = shared.env;

    // A database from before the key check (signing key only): the signing key tells.
    const early = await startExpectingExit(withoutKey);
    assert.equal(early.code, 1);
    assertOneLine(early, new RegExp(`^This database was set up with another secret key than this node's \\(generated into .+/secret-key\\): ${SAME_KEY}\\.$`));

    const node = await startServerProcess(shared.env);
    t.after(async () => { await node.stop(); });
    assert.equal((await fetch(`${node.url}/readyz`)).status, 200, 'the node with the database\'s key serves');
    const late = await startExpectingExit(withoutKey);
    assert.equal(late.code, 1);
    assertOneLine(late, new RegExp(`: ${SAME_KEY}\\.$`));
    const wrong = await startExpectingExit({ ...withoutKey, DJAM_SECRET_KEY: randomBytes(32).toString('hex') });
    assert.equal(wrong.code, 1);
    assertOneLine(wrong, /another secret key than this node's \(DJAM_SECRET_KEY\)/);
  });

  it('PostgreSQL outside the local profile: no DJAM_SECRET_KEY is refused, no key file is generated', { skip: testDatabaseUrl ? false : 'needs DJAM_TEST_DATABASE_URL' }, async (t) => {
    const shared = await openSharedDatabase();
    t.after(() => shared.database.close());
    const { DJAM_SECRET_KEY: _key, ...withoutKey } = shared.env;
    const out = await startExpectingExit({ ...withoutKey, DJAM_PROJECT_ENVIRONMENT: 'dev' });
    assert.equal(out.code, 1);
    assertOneLine(out, new RegExp(`^DJAM_SECRET_KEY is not set, and with PostgreSQL in the dev profile no node-local key is generated: ${SAME_KEY}\\.$`));
  });
});
