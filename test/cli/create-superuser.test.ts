// #18: createsuperuser requires first and last name as Django's REQUIRED_FIELDS do, asks again
// on a blank or refused answer, and checks the password rules before the second entry.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findUserByEmail } from '../../src/users/index.ts';
import { assertNoStackTrace, cleanEnv, openCliData, runCli, type CliEnv } from '../helpers/cli-process.ts';
import { openTestDatabase, testDatabaseUrl } from '../helpers/test-database.ts';

test('#18 createsuperuser requires first and last name, asks again when blank, and checks the password before the second entry', async (t) => {
  const secret = randomBytes(24).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'djam-superuser-'));
  const testDb = testDatabaseUrl ? await openTestDatabase() : undefined;
  t.after(async () => { await testDb?.close(); rmSync(dataDir, { recursive: true, force: true }); });
  const env: CliEnv = { ...cleanEnv(), DJAM_DATA_DIR: dataDir, DJAM_SECRET_KEY: secret, ...testDb?.settings };

  const noNames = await runCli(['createsuperuser', '--noinput'], { ...env, DJAM_SUPERUSER_EMAIL: 'a@example.com', DJAM_SUPERUSER_PASSWORD: 'a-long-admin-pass-1' });
  assert.equal(noNames.code, 1);
  assert.match(noNames.stderr, /^Error: first and last name are required with --noinput: set DJAM_SUPERUSER_FIRST_NAME \(or --first-name\) and DJAM_SUPERUSER_LAST_NAME \(or --last-name\)\.\n$/);
  assertNoStackTrace(noNames);
  const noLast = await runCli(['createsuperuser', '--noinput', '--first-name', 'Ada'], { ...env, DJAM_SUPERUSER_EMAIL: 'a@example.com', DJAM_SUPERUSER_PASSWORD: 'a-long-admin-pass-1' });
  assert.equal(noLast.code, 1);
  assert.match(noLast.stderr, /set DJAM_SUPERUSER_LAST_NAME \(or --last-name\)\.\n$/);
  assert.doesNotMatch(noLast.stderr, /FIRST_NAME/);

  const answers = ['not-an-email', 'ada@example.com', '', 'Ada', '  ', 'Lovelace', 'short', 'a-long-admin-pass-1', 'a-different-pass-2', 'a-long-admin-pass-1', 'a-long-admin-pass-1'];
  const asked = await runCli(['createsuperuser'], env, 120_000, `${answers.join('\n')}\n`);
  assert.equal(asked.code, 0, asked.stderr);
  assert.equal(asked.stdout.match(/Email address: /g)?.length, 2);
  assert.equal(asked.stdout.match(/First name: /g)?.length, 2, 'a blank first name is asked again');
  assert.equal(asked.stdout.match(/Last name: /g)?.length, 2, 'a blank last name is asked again');
  assert.equal(asked.stdout.match(/Password: /g)?.length, 3);
  assert.equal(asked.stdout.match(/Password \(again\): /g)?.length, 2, 'the refused password is not asked for twice');
  assert.equal(asked.stderr.match(/This field cannot be blank\./g)?.length, 2);
  assert.match(asked.stderr, /This password is too short/);
  assert.match(asked.stderr, /Your passwords didn't match\./);
  assert.match(asked.stdout, /Superuser created successfully\.\n$/);

  const viaFlags = await runCli(['createsuperuser', '--noinput', '--email', 'grace@example.com', '--first-name', 'Grace', '--last-name', 'Hopper'],
    { ...env, DJAM_SUPERUSER_PASSWORD: 'a-long-admin-pass-1' });
  assert.equal(viaFlags.code, 0, viaFlags.stderr);

  const database = await openCliData(dataDir, secret, testDb);
  t.after(() => database.close());
  const ada = await findUserByEmail({ db: database.db }, 'ada@example.com');
  const grace = await findUserByEmail({ db: database.db }, 'grace@example.com');
  assert.deepEqual([ada?.firstName, ada?.lastName, ada?.isSuperuser], ['Ada', 'Lovelace', true]);
  assert.deepEqual([grace?.firstName, grace?.lastName, grace?.isSuperuser], ['Grace', 'Hopper', true]);
});
