// #18: every command explains itself with --help and -h, and does nothing else; a caller's
// mistake is one line naming it, exit 2. All run on an empty data directory that must stay empty.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertNoStackTrace, cleanEnv, runCli, type CliEnv } from '../helpers/cli-process.ts';

/** Runs the jobs a few at a time: each child starts a TypeScript loader, dozens at once crawl. */
async function fewAtATime<T>(jobs: Array<() => Promise<T>>, width = 4): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += width) results.push(...await Promise.all(jobs.slice(i, i + width).map((job) => job())));
  return results;
}

function emptyDataDir(t: { after(fn: () => void): void }): { dataDir: string; env: CliEnv } {
  const dataDir = mkdtempSync(join(tmpdir(), 'djam-help-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  return { dataDir, env: { ...cleanEnv(), DJAM_DATA_DIR: dataDir } };
}

test('#18 every command answers --help and -h with its usage, flags and env vars, and does nothing else', async (t) => {
  const { dataDir, env } = emptyDataDir(t);
  const list = await runCli(['help'], env);
  assert.equal(list.code, 0, list.stderr);
  const names = [...list.stdout.matchAll(/^ {2}(\S+) {2,}/gm)].map((m) => m[1]);
  for (const expected of ['migrate', 'worker', 'check', 'createsuperuser', 'createclient', 'createteam', 'createrole', 'createresource',
    'createapikey', 'creatersakey', 'config', 'import-djam', 'upload-users', 'openapi']) assert.ok(names.includes(expected), expected);

  const runs = await fewAtATime(names.flatMap((name) => (['migrate', 'worker', 'check'].includes(name) ? ['--help', '-h'] : ['--help']).map((flag) => async () => ({ name, flag, out: await runCli([name, flag], env, 60_000) }))));
  for (const { name, flag, out } of runs) {
    assert.equal(out.code, 0, `${name} ${flag}: ${out.stderr}`);
    assert.equal(out.stderr, '', `${name} ${flag}`);
    assert.match(out.stdout, new RegExp(`^Usage: djam ${name}\\b`), `${name} ${flag}`);
    assert.match(out.stdout, /\nOptions:\n(.+\n)*\s+-h, --help /, `${name} ${flag}`);
  }
  const help = (name: string) => runs.find((r) => r.name === name)!.out.stdout;
  for (const variable of ['DJAM_SUPERUSER_EMAIL', 'DJAM_SUPERUSER_PASSWORD', 'DJAM_SUPERUSER_FIRST_NAME', 'DJAM_SUPERUSER_LAST_NAME']) {
    assert.ok(help('createsuperuser').includes(variable), variable);
  }
  assert.match(help('createclient'), /--grant-type client_credentials\|authorization_code/);
  assert.match(help('createapikey'), /--user EMAIL +the key's owner \(required\)/);
  assert.equal((await runCli(['help', 'migrate'], env)).stdout, help('migrate'), '`djam help migrate` is `djam migrate --help`');
  assert.deepEqual(readdirSync(dataDir), [], 'nothing migrated, no key, no worker: the data directory is untouched');
});

test('#18 an unknown flag, a bad value or a missing argument is one line naming it, and exit 2', async (t) => {
  const { dataDir, env } = emptyDataDir(t);
  const cases: Array<[string[], RegExp]> = [
    [['createclient', '--name', 'N', '--grant-type', 'client_credentials', '--bogus'], /^djam createclient: unknown option '--bogus'/],
    [['migrate', '--force'], /^djam migrate: unknown option '--force'/],
    [['worker', 'now'], /^djam worker: unexpected argument 'now'/],
    [['createapikey', '--user', 'a@example.com', '--scope', 'other'], /^djam createapikey: --scope must be resource or management, not "other"/],
    [['createapikey', '--user', 'a@example.com', '--scope', 'resource', '--days', 'soon'], /^djam createapikey: --days must be a positive number, not "soon"/],
    [['createteam'], /^djam createteam: missing --name/],
    [['createclient', '--name'], /^djam createclient: option '--name <value>' argument missing/],
    [['openapi', '--format', 'xml'], /^djam openapi: --format must be yaml or json, not "xml"/],
    [['upload-users'], /^djam upload-users: missing --data/],
  ];
  const outs = await fewAtATime(cases.map(([args]) => () => runCli(args, env, 60_000)));
  cases.forEach(([args, message], i) => {
    const out = outs[i];
    const label = args.join(' ');
    assert.equal(out.code, 2, `${label}: ${out.stderr}`);
    assert.match(out.stderr, message, label);
    assert.equal(out.stderr.split('\n').filter(Boolean).length, 1, `${label}: one line:\n${out.stderr}`);
    assert.doesNotMatch(out.stderr, /Error:.*Error:/, label);
    assert.equal(out.stdout, '', label);
    assertNoStackTrace(out);
  });
  assert.deepEqual(readdirSync(dataDir), []);
});
