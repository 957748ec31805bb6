// #18 §4: createsuperuser applies the same password rules as every other door, relaxed only by
// DJAM_PASSWORD_VALIDATION=relaxed (the profile alone no longer relaxes them).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanEnv, runCli, type CliEnv } from '../helpers/cli-process.ts';
import { openTestDatabase, testDatabaseUrl } from '../helpers/test-database.ts';

test('#18 createsuperuser refuses 12345678 in the local profile unless DJAM_PASSWORD_VALIDATION=relaxed', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'djam-superuser-rules-'));
  const testDb = testDatabaseUrl ? await openTestDatabase() : undefined;
  t.after(async () => { await testDb?.close(); rmSync(dataDir, { recursive: true, force: true }); });
  const env: CliEnv = {
    ...cleanEnv(), DJAM_DATA_DIR: dataDir, DJAM_SECRET_KEY: randomBytes(24).toString('hex'), DJAM_PROJECT_ENVIRONMENT: 'local', ...testDb?.settings,
    DJAM_SUPERUSER_FIRST_NAME: 'Ada', DJAM_SUPERUSER_LAST_NAME: 'Lovelace', DJAM_SUPERUSER_PASSWORD: '12345678',
  };
  const strict = await runCli(['createsuperuser', '--noinput'], { ...env, DJAM_SUPERUSER_EMAIL: 'ada@example.com' });
  assert.equal(strict.code, 1);
  assert.match(strict.stderr, /This password is too common\. This password is entirely numeric\./);
  const relaxed = await runCli(['createsuperuser', '--noinput'], { ...env, DJAM_SUPERUSER_EMAIL: 'ada@example.com', DJAM_PASSWORD_VALIDATION: 'relaxed' });
  assert.equal(relaxed.code, 0, relaxed.stderr);
});
