// #18: `djam check` names the profile it checks and asks only for the variables the chosen
// storage, mail and queue need; a fresh local install passes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanEnv, runCli } from '../helpers/cli-process.ts';

const reported = (stderr: string) => [...stderr.matchAll(/"(DJAM_\w+)" not found in environment variables/g)].map((m) => m[1]).sort();

test('#18 djam check names its profile and reports only what the chosen storage, mail and queue need', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'djam-check-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const local = { ...cleanEnv(), DJAM_DATA_DIR: dataDir };
  const [fresh, services, prod] = await Promise.all([
    runCli(['check'], local),
    runCli(['check'], { ...local, DJAM_DB_HOST: 'db.invalid', DJAM_EMAIL_HOST: 'smtp.invalid', DJAM_RABBITMQ_HOST: 'mq.invalid', DJAM_DB_PASSWORD: '' }),
    runCli(['check'], { ...local, DJAM_PROJECT_ENVIRONMENT: 'prod', SITEURL: 'https://id.example.org/', DJAM_SECRET_KEY: 'k'.repeat(20) + 'a-random-secret-0123456789' }),
  ]);

  assert.equal(fresh.code, 0, `a fresh local install has nothing to fix:\n${fresh.stderr}`);
  assert.equal(fresh.stderr, '');
  assert.match(fresh.stdout, /^Checking the local profile .*storage embedded PGlite.*mail written to the outbox.*jobs run from the database/);
  assert.match(fresh.stdout, /System check identified no issues/);

  assert.equal(services.code, 1);
  assert.deepEqual(reported(services.stderr), [
    'DJAM_DB_NAME', 'DJAM_DB_PORT', 'DJAM_DB_USER', 'DJAM_EMAIL_HOST_PASSWORD', 'DJAM_EMAIL_HOST_USER', 'DJAM_EMAIL_PORT', 'DJAM_EMAIL_SENDER',
    'DJAM_RABBITMQ_PORT',
  ], services.stderr);
  assert.match(services.stdout, /storage PostgreSQL at db\.invalid; mail SMTP at smtp\.invalid; queue RabbitMQ at mq\.invalid/);
  assert.match(services.stderr, /System check identified 8 issues\./);

  assert.equal(prod.code, 1);
  assert.match(prod.stdout, /^Checking the prod profile/);
  assert.deepEqual(reported(prod.stderr), ['DJAM_EMAIL_HOST'], 'prod mail must reach people; storage and queue may stay embedded');
});
