// `djam upload-users --data users.json` (docs/compatibility.md §10.1), run as a real child process on a fresh
// data directory (PGlite) or test database (PostgreSQL); then the real server is started on the
// same data and imported users sign in at /accounts/login/ with their ORIGINAL passwords, whose
// Django hashes the test makes with node:crypto (and argon2 as Django's Argon2PasswordHasher).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { hash } from '@node-rs/argon2';
import { deriveKeys } from '../../src/crypto/keys.ts';
import type { Database } from '../../src/db/client.ts';
import { ensureSigningKey } from '../../src/signing-keys/index.ts';
import { findUserByEmail } from '../../src/users/index.ts';
import { assertNoStackTrace, cleanEnv, openCliData, runCli, startServerOnCliData, type CliEnv as Env } from '../helpers/cli-process.ts';
import { Browser } from '../helpers/cookie-jar.ts';
import { openTestDatabase, testDatabaseUrl } from '../helpers/test-database.ts';

const execFileAsync = promisify(execFile);
const repoRoot = new URL('../..', import.meta.url).pathname;
const SECRET_KEY = randomBytes(32).toString('hex');
const djam = (args: string[], env: Env) => runCli(args, env, 60_000);

const pbkdf2Sha256 = (password: string, salt = randomBytes(6).toString('hex'), iterations = 1000) =>
  `pbkdf2_sha256$${iterations}$${salt}$${pbkdf2Sync(password, salt, iterations, 32, 'sha256').toString('base64')}`;
const sha1 = (password: string, salt = randomBytes(3).toString('hex')) => `sha1$${salt}$${createHash('sha1').update(salt + password).digest('hex')}`;
// Django's Argon2PasswordHasher: 'argon2' + argon2-cffi's PHC string.
const djangoArgon2 = async (password: string) => `argon2${await hash(password, { algorithm: 2, memoryCost: 1024, timeCost: 1, parallelism: 1 })}`;

interface Entry { pk: unknown; email?: unknown; username?: unknown; password?: unknown; first_name?: unknown; last_name?: unknown }

describe('djam upload-users', () => {
  let dataDir: string;
  let testDb: (Database & { settings: Record<string, string> }) | undefined;
  let env: Env;
  const file = (name: string, content: unknown) => {
    const path = join(dataDir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const users = {
    alice: { pk: 11, email: 'Alice@Example.org', username: 'alice', password: 'alice original pw', first_name: 'Alice', last_name: 'Liddell' },
    bob: { pk: 12, email: 'bob@example.org', username: 'bob', password: 'bob-original-pw', first_name: 'Bob', last_name: '' },
    carol: { pk: 13, email: 'carol@example.org', username: 'carol', password: 'carol-original-pw', first_name: 'Carol', last_name: 'C' },
  };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'djam-upload-'));
    if (testDatabaseUrl) testDb = await openTestDatabase();
    env = { ...cleanEnv(), DJAM_DATA_DIR: dataDir, DJAM_SECRET_KEY: SECRET_KEY, ...testDb?.settings };
  });

  after(async () => {
    await testDb?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a missing file, invalid JSON and a non-array with one sentence and exit 1', async () => {
    const [missing, notJson, notArray, noOption] = await Promise.all([
      djam(['upload-users', '--data', join(dataDir, 'nope.json')], env),
      djam(['upload-users', '--data', file('broken.json', '[{"pk": 1,')], env),
      djam(['upload-users', '--data', file('object.json', { users: [] })], env),
      djam(['upload-users'], env),
    ]);
    assert.deepEqual([missing.code, notJson.code, notArray.code, noOption.code], [1, 1, 1, 2]);
    assert.match(missing.stderr, /^Error: cannot read .*nope\.json: no such file\.\n$/);
    assert.match(notJson.stderr, /^Error: .*broken\.json is not valid JSON \(.+\)\.\n$/);
    assert.match(notArray.stderr, /^Error: .*object\.json must hold a JSON array of users/);
    assert.match(noOption.stderr, /--data <users\.json>/);
    for (const out of [missing, notJson, notArray, noOption]) {
      assert.equal(out.stdout, '');
      assertNoStackTrace(out);
    }
  });

  it('creates new users and skips existing e-mails (any case), existing usernames and unusable hashes', async () => {
    const admin = await djam(['createsuperuser', '--noinput'], { ...env, DJAM_SUPERUSER_EMAIL: 'admin@example.com', DJAM_SUPERUSER_PASSWORD: 'admin-password-1', DJAM_SUPERUSER_FIRST_NAME: 'Ada', DJAM_SUPERUSER_LAST_NAME: 'Admin' });
    assert.equal(admin.code, 0, admin.stderr);
    const entries: Entry[] = [
      { ...users.alice, password: pbkdf2Sha256(users.alice.password) },
      { ...users.bob, password: sha1(users.bob.password) },
      { ...users.carol, password: await djangoArgon2(users.carol.password) },
      { pk: 14, email: 'ADMIN@EXAMPLE.COM', username: 'root', password: sha1('x') },
      { pk: 15, email: 'alice@example.ORG', username: 'alice-again', password: sha1('x') },
      { pk: 16, email: 'bobby@example.org', username: 'bob', password: sha1('x') },
      { pk: -1, email: '', username: 'AnonymousUser', password: '!unusable' },
      { pk: 17, email: 'dave@example.org', username: 'dave', password: '!QkRlG4FZ7hTLdV0pB1Vx2' },
      { pk: 18, email: 'erin@example.org', username: 'erin', password: 'md5$salt$0123456789abcdef0123456789abcdef' },
      { pk: 19, email: 'frank@example.org', username: 'frank', password: 'hunter2' },
      { pk: 'x', email: 'gina@example.org', username: 'gina', password: sha1('x') },
      42,
      { pk: 20, email: 'nul@example.org', username: 'nul', password: sha1('x'), first_name: 'Nul\u0000Byte' },
    ] as Entry[];
    const out = await djam(['upload-users', '--data', file('users.json', entries)], env);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stderr, '', 'no progress output when stderr is not a terminal');
    const lines = out.stdout.trimEnd().split('\n');
    assert.equal(lines.at(-1), 'Imported 13 entries: created 3, skipped 10 (e-mail already registered: 2, username already taken: 1, '
      + 'invalid entry: 3, password not a Django hash DJAM can verify: 3, refused by the database: 1).');
    // PostgreSQL refuses a NUL character: that row is lost, not the others of its batch.
    assert.match(lines.at(-2) ?? '', /^Skipped entry 13 \(pk 20, "nul@example\.org"\): refused by the database: invalid byte sequence .*0x00\.$/);
    assert.doesNotMatch(out.stdout, /sha1\$|insert into/i, 'neither the hash nor the query is printed');
    assert.deepEqual(lines.slice(0, -2), [
      'Skipped entry 4 (pk 14, "ADMIN@EXAMPLE.COM"): e-mail already registered.',
      'Skipped entry 5 (pk 15, "alice@example.ORG"): e-mail already registered.',
      'Skipped entry 6 (pk 16, "bobby@example.org"): username already taken.',
      'Skipped entry 7 (pk -1, ""): invalid entry: no valid e-mail address.',
      'Skipped entry 8 (pk 17, "dave@example.org"): password not a Django hash DJAM can verify.',
      'Skipped entry 9 (pk 18, "erin@example.org"): password not a Django hash DJAM can verify.',
      'Skipped entry 10 (pk 19, "frank@example.org"): password not a Django hash DJAM can verify.',
      'Skipped entry 11 (pk "x", "gina@example.org"): invalid entry: pk is not an integer.',
      'Skipped entry 12 (pk null, null): invalid entry: not an object.',
    ]);

    const again = await djam(['upload-users', '--data', file('users.json', entries)], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Imported 13 entries: created 0, skipped 13 \(/, 'a second run creates nobody');
  });

  it('imports a 2,000-entry file in reasonable time', async () => {
    const passwordHash = sha1('bulk-password');
    const entries = Array.from({ length: 2000 }, (_, i) => ({
      pk: 1000 + i, email: `bulk${i}@example.net`, username: `bulk${i}`, password: passwordHash, first_name: 'Bulk', last_name: String(i),
    }));
    const started = Date.now();
    const out = await djam(['upload-users', '--data', file('bulk.json', entries)], env);
    const seconds = (Date.now() - started) / 1000;
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, 'Imported 2000 entries: created 2000, skipped 0.\n');
    assert.ok(seconds < 30, `took ${seconds} s`); // ~2 s on an idle machine, the child's start-up included
  });

  // util-linux `script` runs the command on a pseudo-terminal, as an operator's shell would.
  it('shows progress on a terminal', { skip: existsSync('/usr/bin/script') ? false : 'needs util-linux script(1) for a pseudo-terminal' }, async () => {
    const entries = Array.from({ length: 600 }, (_, i) => ({ pk: 5000 + i, email: `tty${i}@example.net`, username: `tty${i}`, password: sha1('x') }));
    const path = file('tty.json', entries);
    const { stdout } = await execFileAsync('/usr/bin/script', ['-qec', `${process.execPath} bin/djam.js upload-users --data ${path}`, '/dev/null'], { cwd: repoRoot, env });
    assert.match(stdout, /\rImporting users: 250\/600\rImporting users: 500\/600\rImporting users: 600\/600\r?\n/);
    assert.match(stdout, /Imported 600 entries: created 600, skipped 0\./);
  });

  it('the server on the same data signs imported users in with their original passwords', async (t) => {
    const data = await openCliData(dataDir, SECRET_KEY, testDb); // the server needs a signing key; no command here made one
    await ensureSigningKey({ db: data.db, keys: deriveKeys(SECRET_KEY) });
    await data.close();
    const { url, database, close } = await startServerOnCliData(dataDir, SECRET_KEY, testDb);
    t.after(close);

    const alice = await findUserByEmail({ db: database.db }, 'alice@example.org');
    assert.ok(alice);
    assert.deepEqual(
      [alice.legacyUserId, alice.username, alice.firstName, alice.lastName, alice.isActive, alice.emailConfirmed, alice.isStaff],
      [11, 'alice', 'Alice', 'Liddell', true, true, false],
    );
    assert.match(alice.password, /^pbkdf2_sha256\$1000\$/, 'the hash is stored verbatim');
    assert.match((await findUserByEmail({ db: database.db }, 'carol@example.org'))?.password ?? '', /^argon2\$argon2id\$/);

    const signIn = (email: string, password: string) => new Browser(url).submitForm('/accounts/login/', { username: email, password });
    for (const [email, password] of [
      ['alice@example.org', users.alice.password], ['bob@example.org', users.bob.password], ['carol@example.org', users.carol.password],
      ['bulk1999@example.net', 'bulk-password'],
    ]) {
      assert.equal((await signIn(email, password)).status, 302, `${email} signs in with the original password`);
    }
    assert.equal((await signIn('bob@example.org', 'not-the-password')).status, 200, 'a wrong password is refused');
  });
});
