// DJAM_WORKERS=N (issue 7): N server processes answer on one port, each a whole server on the
// shared PostgreSQL database; a token issued through one is honoured by the others, a worker that
// dies is replaced, and SIGTERM ends them all with exit code 0.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { basicAuth } from '../helpers/cookie-jar.ts';
import { cleanEnv } from '../helpers/cli-process.ts';
import { answeringPid, openSharedDatabase, sendOnNewConnection, startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { testDatabaseUrl } from '../helpers/test-database.ts';

const skip = testDatabaseUrl ? false : 'several workers need PostgreSQL (run with DJAM_TEST_DATABASE_URL): the embedded database belongs to one process';
const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** Pids answering /metrics over `tries` fresh connections (node:cluster hands them out in turn). */
async function answeringPids(url: string, tries = 6): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < tries; i++) pids.add(await answeringPid(url));
  return pids;
}

/** As answeringPids while a worker dies: a connection handed to it as it died is lost, not answered. */
async function answeringPidsMeanwhile(url: string): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < 4; i++) pids.add(await answeringPid(url).catch(() => 0));
  pids.delete(0);
  return pids;
}

test('DJAM_WORKERS=2: two workers answer on one port and share tokens; a dead worker is replaced; SIGTERM exits 0', { skip }, async (t) => {
  const shared = await openSharedDatabase();
  const started: ServerProcess[] = [];
  t.after(async () => { await started[0]?.stop(); await shared.database.close(); }); // after hooks run in order: one does both
  const server = await startServerProcess({ ...shared.env, DJAM_WORKERS: '2' });
  started.push(server);

  // /healthz answers once the first worker listens; the second may take a moment more.
  let pids = await answeringPids(server.url);
  for (const deadline = Date.now() + 20_000; pids.size < 2 && Date.now() < deadline;) pids = await answeringPids(server.url);
  assert.equal(pids.size, 2, `two workers answer: ${[...pids].join(', ')}`);
  assert.ok(!pids.has(server.pid), 'the primary only hands connections out');

  const { client, clientSecret } = await shared.make.client({ grantType: 'client_credentials', redirectUris: [] });
  const auth = basicAuth(client.clientId, clientSecret!);
  const issued = await sendOnNewConnection(`${server.url}/openid/token`, { method: 'POST', headers: { ...form, authorization: auth }, body: 'grant_type=client_credentials' });
  assert.equal(issued.status, 200, issued.body);
  const token = (JSON.parse(issued.body) as { access_token: string }).access_token;
  for (let i = 0; i < 4; i++) { // consecutive connections go to alternate workers
    const res = await sendOnNewConnection(`${server.url}/openid/introspect`, { method: 'POST', headers: { ...form, authorization: auth }, body: `token=${token}` });
    assert.equal((JSON.parse(res.body) as { active: boolean }).active, true);
  }

  const [victim] = pids;
  process.kill(victim, 'SIGKILL');
  const deadline = Date.now() + 20_000;
  let now = new Set<number>();
  while (!(now.size === 2 && !now.has(victim)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 300));
    now = await answeringPidsMeanwhile(server.url);
  }
  assert.ok(now.size === 2 && !now.has(victim), `a new worker replaced ${victim}: ${[...now].join(', ')}`);

  assert.equal(await server.stop('SIGTERM'), 0);
  assert.match(server.output(), new RegExp(`"pid":${victim},"code":null,"signal":"SIGKILL","restartInMs":1000,"msg":"worker.died"`));
});

test('DJAM_WORKERS above 1 on the embedded database is refused at start, in one sentence', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...cleanEnv(), DJAM_WORKERS: '2', DJAM_DATA_DIR: mkdtempSync(join(tmpdir(), 'djam-workers-')), DJAM_LOG_LEVEL: 'warn' }, encoding: 'utf8',
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /DJAM_WORKERS=2 needs PostgreSQL \(set DJAM_DB_HOST\)/);
});

test('DJAM_WORKERS is 1 by default, auto is one per core, anything but a whole number from 1 is refused', () => {
  const config = (env: Record<string, string>) => loadConfig({ DJAM_DB_HOST: 'db', ...env }, '/nonexistent/.env');
  assert.equal(config({}).DJAM_WORKERS, 1);
  assert.equal(config({ DJAM_WORKERS: '3' }).DJAM_WORKERS, 3);
  assert.equal(config({ DJAM_WORKERS: 'auto' }).DJAM_WORKERS, availableParallelism());
  for (const bad of ['0', '-1', '1.5', 'two', '']) {
    assert.throws(() => config({ DJAM_WORKERS: bad }), (err: unknown) => err instanceof ConfigError && /DJAM_WORKERS must be a whole number/.test(err.message), bad);
  }
});
