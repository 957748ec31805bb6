// #18: the start-up banner names the address and port the server really listens on; the local
// profile listens on loopback unless told otherwise; "create the first admin" only while none exists.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanEnv, runCli, type CliEnv } from '../helpers/cli-process.ts';
import { freePort } from '../helpers/start-server.ts';

const repoRoot = new URL('../..', import.meta.url).pathname;

/** Starts `src/main.ts`, waits for its banner, stops it; returns the banner's message. */
async function bannerOfStart(env: CliEnv): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk; });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const deadline = Date.now() + 90_000;
    while (!/DJAM listens on/.test(output) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const line = output.split('\n').find((l) => l.includes('DJAM listens on'));
    assert.ok(line, output);
    return (JSON.parse(line) as { msg: string }).msg;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

test('#18 the banner names the loopback address and port listened on, and asks for a first admin only while there is none', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'djam-banner-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const env: CliEnv = { ...cleanEnv(), DJAM_DATA_DIR: dataDir, DJAM_PORT: String(port), DJAM_SECRET_KEY: randomBytes(24).toString('hex'),
    DJAM_LOG_FORMAT: 'json', DJAM_LOG_LEVEL: 'info' };

  const first = await bannerOfStart(env);
  assert.match(first, new RegExp(`^DJAM listens on http://127\\.0\\.0\\.1:${port}, `), 'the local profile binds loopback by default');
  assert.match(first, /Create the first admin with: npx djam createsuperuser/);

  const admin = await runCli(['createsuperuser', '--noinput'], { ...env, DJAM_SUPERUSER_EMAIL: 'admin@example.com',
    DJAM_SUPERUSER_PASSWORD: 'a-long-admin-pass-1', DJAM_SUPERUSER_FIRST_NAME: 'Ada', DJAM_SUPERUSER_LAST_NAME: 'Admin' });
  assert.equal(admin.code, 0, admin.stderr);

  const second = await bannerOfStart({ ...env, DJAM_HOST: '0.0.0.0' });
  assert.match(second, new RegExp(`^DJAM listens on every interface \\(0\\.0\\.0\\.0\\) port ${port}, `));
  assert.doesNotMatch(second, /first admin/, 'a superuser exists');
});
