// The operator's CLI (docs/compatibility.md §1.4, §10.1–10.2), run as a real child process (`node bin/djam.js`)
// on a fresh data directory (PGlite) or a fresh PostgreSQL database; then the real server is
// started on the same data to prove over HTTP what the commands created.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../src/db/client.ts';
import { findUserByEmail } from '../src/users/index.ts';
import { basicAuth, Browser } from './helpers/cookie-jar.ts';
import { openTestDatabase, testDatabaseUrl } from './helpers/test-database.ts';
import { assertNoStackTrace, cleanEnv, runCli, startServerOnCliData, type CliEnv as Env } from './helpers/cli-process.ts';

const SECRET_KEY = randomBytes(32).toString('hex');
const ADMIN = { email: 'admin@example.com', password: 'a-long-admin-password' };
const NAMES = { DJAM_SUPERUSER_FIRST_NAME: 'Ada', DJAM_SUPERUSER_LAST_NAME: 'Admin' };
// docs/compatibility.md §1.4's list, deduplicated.
const CHECKED_VARIABLES = [
  'DJAM_SECRET_KEY', 'DJAM_DB_NAME', 'DJAM_DB_USER', 'DJAM_DB_PASSWORD', 'DJAM_DB_HOST', 'DJAM_DB_PORT', 'DJAM_RABBITMQ_HOST',
  'DJAM_RABBITMQ_PORT', 'DJAM_EMAIL_HOST', 'DJAM_EMAIL_PORT', 'DJAM_EMAIL_HOST_USER', 'DJAM_EMAIL_HOST_PASSWORD', 'DJAM_EMAIL_SENDER',
];

const djam = runCli;

interface PrintedClient { client_id: string; client_secret: string | null; client_type: string; grant_types: string[]; redirect_uris: string[] }

describe('djam CLI', () => {
  let dataDir: string;
  let testDb: (Database & { settings: Record<string, string> }) | undefined;
  let env: Env;
  const created: { clients: PrintedClient[]; kid?: string } = { clients: [] };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'djam-cli-'));
    // PostgreSQL: a fresh database for the children. PGlite: the children use DJAM_DATA_DIR/db.
    if (testDatabaseUrl) testDb = await openTestDatabase();
    env = { ...cleanEnv(), DJAM_DATA_DIR: dataDir, DJAM_SECRET_KEY: SECRET_KEY, ...testDb?.settings };
  });

  after(async () => {
    await testDb?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrate applies the migrations and exits 0', async () => {
    const out = await djam(['migrate'], env);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^Migrations applied \((embedded PGlite|PostgreSQL) /);
    if (!testDb) assert.ok(existsSync(join(dataDir, 'db', 'PG_VERSION')), 'the embedded database lives in DJAM_DATA_DIR/db');
  });

  it('createsuperuser --noinput creates the administrator from the environment', async () => {
    const out = await djam(['createsuperuser', '--noinput'], { ...env, ...NAMES, DJAM_SUPERUSER_EMAIL: ADMIN.email, DJAM_SUPERUSER_PASSWORD: ADMIN.password });
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, 'Superuser created successfully.\n');
  });

  it('createsuperuser refuses a duplicate e-mail (any case) with a message, not a stack trace', async () => {
    const out = await djam(['createsuperuser', '--noinput'], { ...env, ...NAMES, DJAM_SUPERUSER_EMAIL: 'Admin@EXAMPLE.com', DJAM_SUPERUSER_PASSWORD: ADMIN.password });
    assert.notEqual(out.code, 0);
    assert.match(out.stderr, /A user with that email already exists\./);
    assertNoStackTrace(out);
    assert.doesNotMatch(out.stdout, /created successfully/);
  });

  // None of these reaches the database, so they may run side by side (PGlite admits one process).
  it('refuses bad input before touching the database: createsuperuser, createclient, check, unknown commands', async () => {
    const withoutRequired = Object.fromEntries(Object.entries(env).filter(([name]) => !CHECKED_VARIABLES.includes(name)));
    const allSet = {
      ...withoutRequired, DJAM_SECRET_KEY: SECRET_KEY, DJAM_DB_NAME: 'djam', DJAM_DB_USER: 'djam', DJAM_DB_PASSWORD: '', DJAM_DB_HOST: 'db.invalid',
      DJAM_DB_PORT: '5432', DJAM_RABBITMQ_HOST: 'mq.invalid', DJAM_RABBITMQ_PORT: '5672', DJAM_EMAIL_HOST: 'smtp.invalid', DJAM_EMAIL_PORT: '587',
      DJAM_EMAIL_HOST_USER: '', DJAM_EMAIL_HOST_PASSWORD: '', DJAM_EMAIL_SENDER: 'DJAM <noreply@example.com>',
    };
    const [noEmail, shortPassword, noGrant, badGrant, unknownOption, checkAll, unknown] = await Promise.all([
      djam(['createsuperuser', '--noinput'], { ...env, ...NAMES, DJAM_SUPERUSER_PASSWORD: ADMIN.password }),
      djam(['createsuperuser', '--noinput'], { ...env, ...NAMES, DJAM_SUPERUSER_EMAIL: 'short@example.com', DJAM_SUPERUSER_PASSWORD: 'seven77' }),
      djam(['createclient', '--name', 'N'], env),
      djam(['createclient', '--name', 'N', '--grant-type', 'password'], env),
      djam(['createclient', '--name', 'N', '--grant-type', 'client_credentials', '--bogus'], env),
      djam(['check'], allSet),
      djam(['frobnicate'], env),
    ]);

    assert.equal(noEmail.code, 1);
    assert.match(noEmail.stderr, /a valid e-mail address is required \(DJAM_SUPERUSER_EMAIL/);
    assert.equal(shortPassword.code, 1);
    assert.match(shortPassword.stderr, /It must contain at least 8 characters/);

    for (const [label, out] of [['missing --grant-type', noGrant], ['unknown grant type', badGrant], ['unknown option', unknownOption]] as const) {
      assert.equal(out.code, 2, `${label}: ${out.stderr}`);
      assert.match(out.stderr, /^djam createclient: [^\n]+\n$/, `${label}: one line`);
      assert.equal(out.stdout, '', label);
      assertNoStackTrace(out);
    }
    assert.match(noGrant.stderr, /missing --grant-type client_credentials\|authorization_code/);
    assert.match(badGrant.stderr, /--grant-type must be authorization_code or client_credentials or device_code, not "password"/);
    assert.match(unknownOption.stderr, /unknown option '--bogus'/);

    assert.equal(checkAll.code, 0, `every variable present (some empty) passes:\n${checkAll.stderr}`);
    assert.equal(checkAll.stderr, '');
    assert.match(checkAll.stdout, /System check identified no issues/);

    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown command "frobnicate"/);
    assert.match(unknown.stderr, /Usage: djam <command>/);
    for (const command of ['migrate', 'createsuperuser', 'createclient', 'creatersakey', 'check']) assert.ok(unknown.stderr.includes(command), command);
  });

  it('createclient prints the new client as JSON: generated, chosen and public credentials', async () => {
    const generated = await djam(['createclient', '--name', 'Machine', '--grant-type', 'client_credentials'], env);
    assert.equal(generated.code, 0, generated.stderr);
    const machine = JSON.parse(generated.stdout) as PrintedClient;
    assert.match(machine.client_id, /^[\w-]{20,}$/);
    assert.match(machine.client_secret ?? '', /^[\w-]{32,}$/);
    assert.equal(machine.client_type, 'confidential');
    assert.deepEqual(machine.grant_types, ['client_credentials']);

    const chosen = await djam(['createclient', '--name', 'Chosen', '--grant-type', 'client_credentials', '--client-id', 'cli-chosen-id', '--client-secret', 'cli-chosen-secret-0123456789'], env);
    assert.equal(chosen.code, 0, chosen.stderr);
    const fixed = JSON.parse(chosen.stdout) as PrintedClient;
    assert.equal(fixed.client_id, 'cli-chosen-id');
    assert.equal(fixed.client_secret, 'cli-chosen-secret-0123456789');

    const spa = await djam(['createclient', '--name', 'SPA', '--grant-type', 'authorization_code', '--redirect-uri', 'http://127.0.0.1:8000/cb', '--public'], env);
    assert.equal(spa.code, 0, spa.stderr);
    const publicClient = JSON.parse(spa.stdout) as PrintedClient;
    assert.equal(publicClient.client_secret, null);
    assert.equal(publicClient.client_type, 'public');
    assert.deepEqual(publicClient.redirect_uris, ['http://127.0.0.1:8000/cb']);
    created.clients.push(machine, fixed);
  });

  it('creatersakey prints the kid of the new key', async () => {
    const out = await djam(['creatersakey'], env);
    assert.equal(out.code, 0, out.stderr);
    const kid = /^RSA key successfully created with kid: ([0-9a-f]{32})\n/.exec(out.stdout)?.[1];
    assert.ok(kid, out.stdout);
    created.kid = kid;
  });

  it('the server started on the same data shows what the commands made', async (t) => {
    const server = await startServerOnCliData(dataDir, SECRET_KEY, testDb);
    t.after(() => server.close());

    const admin = await findUserByEmail({ db: server.database.db }, ADMIN.email);
    assert.ok(admin, 'the superuser is stored');
    assert.deepEqual([admin.isSuperuser, admin.isStaff, admin.isActive, admin.emailConfirmed], [true, true, true, true]);
    const browser = new Browser(server.url);
    const login = await browser.submitForm('/accounts/login/', { username: ADMIN.email, password: ADMIN.password });
    assert.equal(login.status, 302, 'the superuser signs in');
    assert.equal(login.headers.get('location'), `/user/account/edit/${admin.id}/`);

    assert.equal(created.clients.length, 2, 'the createclient test ran');
    for (const client of created.clients) {
      const res = await fetch(`${server.url}/o/token/`, {
        method: 'POST',
        headers: { Authorization: basicAuth(client.client_id, client.client_secret!), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      assert.equal(res.status, 200, client.client_id);
      const body = await res.json() as Record<string, unknown>;
      assert.equal(typeof body.access_token, 'string');
      assert.equal(body.scope, 'read write');
    }

    assert.ok(created.kid, 'the creatersakey test ran');
    const jwks = await (await fetch(`${server.url}/openid/jwks`)).json() as { keys: Array<{ kid: string; kty: string; d?: string }> };
    const key = jwks.keys.find((k) => k.kid === created.kid);
    assert.ok(key, `JWKS publishes ${created.kid}`);
    assert.equal(key.kty, 'RSA');
    assert.equal(key.d, undefined, 'only the public part is published');
  });
});
