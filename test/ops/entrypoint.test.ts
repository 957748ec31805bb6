// The container entry point, run as a script outside a container (no Docker engine here):
// it migrates, creates a signing key only when none exists, and runs the server or a command.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { testDatabaseUrl } from '../helpers/test-database.ts';
import { waitForHttp } from '../helpers/wait-for.ts';

const skip = testDatabaseUrl ? 'runs once, on the embedded database' : false;

function envFor(dataDir: string, port: number) {
  return { ...process.env, DJAM_PORT: String(port), DJAM_HOST: '127.0.0.1', SITEURL: `http://127.0.0.1:${port}/`,
    DJAM_LOG_LEVEL: 'warn', DJAM_SECRET_KEY: 'entrypoint-test-secret-0123456789abcdef', DJAM_DATA_DIR: dataDir };
}

async function runServerOnce(dataDir: string): Promise<{ kids: string[]; exitCode: number | null }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn('sh', ['docker-entrypoint.sh'], { env: envFor(dataDir, port), stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const jwks = await (await waitForHttp(`http://127.0.0.1:${port}/openid/jwks`)).json() as { keys: Array<{ kid: string }> };
  child.kill('SIGTERM');
  return { kids: jwks.keys.map((k) => k.kid), exitCode: await exited };
}

test('the entry point starts the server with one signing key, and a restart adds none', { skip }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'djam-entry-'));
  const first = await runServerOnce(dataDir);
  assert.equal(first.kids.length, 1);
  assert.equal(first.exitCode, 0);
  const second = await runServerOnce(dataDir);
  assert.deepEqual(second.kids, first.kids);
  assert.equal(second.exitCode, 0);
});

test('the entry point runs any other command after migrating', { skip }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'djam-entry-'));
  const r = spawnSync('sh', ['docker-entrypoint.sh', 'node', 'bin/djam.js', 'creatersakey', '--if-missing'], { env: envFor(dataDir, 1), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Migrations applied/);
  assert.match(r.stdout, /RSA key successfully created with kid: [0-9a-f]{32}/);
  assert.match(r.stdout, /A signing key exists already; none created\./);
});
