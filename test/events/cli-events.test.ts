// #21 the CLI is a door too: a superuser created by `djam createsuperuser` is a `user.created`
// event whose actor is `cli`, read over the admin API of the server started on the same data.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Browser } from '../helpers/cookie-jar.ts';
import { cleanEnv, runCli, startServerOnCliData } from '../helpers/cli-process.ts';
import { openTestDatabase, testDatabaseUrl } from '../helpers/test-database.ts';

test('#21 a CLI-created superuser is a user.created event by the cli actor', async (t) => {
  const secret = randomBytes(24).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'djam-cli-events-'));
  const testDb = testDatabaseUrl ? await openTestDatabase() : undefined;
  t.after(async () => { await testDb?.close(); rmSync(dataDir, { recursive: true, force: true }); });
  const created = await runCli(['createsuperuser', '--noinput', '--email', 'ops@example.com', '--first-name', 'Op', '--last-name', 'Erator'],
    { ...cleanEnv(), DJAM_DATA_DIR: dataDir, DJAM_SECRET_KEY: secret, DJAM_SUPERUSER_PASSWORD: 'a-long-admin-pass-1', ...testDb?.settings });
  assert.equal(created.code, 0, created.stderr);

  const server = await startServerOnCliData(dataDir, secret, testDb);
  t.after(() => server.close());
  const browser = new Browser(server.url);
  assert.equal((await browser.submitForm('/accounts/login/', { username: 'ops@example.com', password: 'a-long-admin-pass-1' })).status, 302);
  const res = await browser.fetch('/api/admin/events?type=user.created', { headers: { accept: 'application/json' } });
  const [event] = (await res.json() as { items: Array<Record<string, any>> }).items; // eslint-disable-line @typescript-eslint/no-explicit-any -- read field by field
  assert.deepEqual(event.actor, { kind: 'cli', id: 'cli', label: 'cli' });
  assert.equal(event.changes.after.email, 'ops@example.com');
  assert.equal(event.changes.after.is_superuser, true);
  assert.equal(event.ip, null, 'no request, no address');
  assert.ok(!JSON.stringify(event).includes('a-long-admin-pass-1'));
});
