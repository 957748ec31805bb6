// #8 `djam import-djam`: an original DJAM database (Django tables, fixtures/djam-original.sql, with
// real Django password hashes and RSA keys made here) is imported by the CLI as a child process;
// then the real server on the imported data proves over HTTP that users sign in with their old
// passwords under their old ids, keys answer as before, clients keep ids and secrets, and tokens
// signed with the original's keys verify. The source always lives in PostgreSQL; the target is
// the suite's database (PGlite data directory, or PostgreSQL with DJAM_TEST_DATABASE_URL).
import assert from 'node:assert/strict';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import type { Database } from '../../src/db/client.ts';
import { findApiKey, isKeyUsable } from '../../src/api-keys/index.ts';
import { isLoginPrevented } from '../../src/login-preventions/index.ts';
import { listEffectiveRoleNames, listTeams } from '../../src/privileges/index.ts';
import { listUsableResources } from '../../src/protected-resources/index.ts';
import { findUserByEmail } from '../../src/users/index.ts';
import { basicAuth, Browser } from '../helpers/cookie-jar.ts';
import { assertNoStackTrace, cleanEnv, openCliData, runCli, startServerOnCliData, type CliEnv, type CliOutcome } from '../helpers/cli-process.ts';
import { openTestDatabase, testDatabaseUrl } from '../helpers/test-database.ts';
import {
  CLIENT_SECRETS, createOriginalDatabase, djangoPbkdf2, KEYS, postgresMissing, USERS, type OriginalDatabase,
} from './original-db.ts';

const SECRET_KEY = randomBytes(32).toString('hex');
const CALLBACK = 'http://127.0.0.1:8100/cb';
const OUR_TABLES = [
  'users', 'teams', 'team_members', 'roles', 'user_roles', 'team_roles', 'resources', 'access_rules', 'oauth_clients',
  'login_preventions', 'login_prevention_teams', 'api_keys', 'signing_keys',
];

/** The summary table as { table: [imported, unchanged, conflicts] }. */
function tallies(stdout: string): Record<string, [number, number, number]> {
  const rows = [...stdout.matchAll(/^([a-z][a-z ]*?)\s+(\d+)\s+(\d+)\s+(\d+)$/gm)];
  return Object.fromEntries(rows.map((m) => [m[1], [Number(m[2]), Number(m[3]), Number(m[4])]]));
}

function assertOneSentence(out: CliOutcome, pattern: RegExp): void {
  assert.equal(out.code, 1, out.stderr);
  assert.match(out.stderr, pattern);
  assert.equal(out.stderr.trim().split('\n').length, 1, `one line on stderr:\n${out.stderr}`);
  assertNoStackTrace(out);
  assert.equal(out.stdout, '');
}

const skip = await postgresMissing();

describe('#8 djam import-djam', { skip }, () => {
  let original: OriginalDatabase;
  let dataDir: string;
  let testDb: (Database & { settings: Record<string, string> }) | undefined;
  let env: CliEnv;
  let firstRun: Record<string, [number, number, number]> = {};

  const importDjam = (...args: string[]) => runCli(['import-djam', '--from', original.url, ...args], env);

  async function countRows(): Promise<Record<string, number>> {
    const database = await openCliData(dataDir, SECRET_KEY, testDb);
    try {
      const counts: Record<string, number> = {};
      for (const table of OUR_TABLES) {
        const result = await database.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`) as unknown as { rows: Array<{ n: number }> };
        counts[table] = result.rows[0].n;
      }
      return counts;
    } finally {
      await database.close();
    }
  }

  before(async () => {
    original = await createOriginalDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'djam-import-'));
    if (testDatabaseUrl) testDb = await openTestDatabase();
    env = { ...cleanEnv(), DJAM_DATA_DIR: dataDir, DJAM_SECRET_KEY: SECRET_KEY, ...testDb?.settings };
    // This server already has its administrator as user #1, so the original's #1 must move.
    const admin = await runCli(['createsuperuser', '--noinput'], { ...env, DJAM_SUPERUSER_EMAIL: 'admin@example.com', DJAM_SUPERUSER_PASSWORD: 'a-long-admin-password', DJAM_SUPERUSER_FIRST_NAME: 'Ada', DJAM_SUPERUSER_LAST_NAME: 'Admin' });
    assert.equal(admin.code, 0, admin.stderr);
  });

  after(async () => {
    await testDb?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await original?.drop();
  });

  it('refuses an unreachable database, a database without DJAM tables and a bad URL: one sentence, exit 1', async () => {
    const [unreachable, notDjam, notUrl, noFrom] = await Promise.all([
      runCli(['import-djam', '--from', 'postgres://djam:hunter2-secret@127.0.0.1:1/djam'], env),
      runCli(['import-djam', '--from', original.emptyUrl], env),
      runCli(['import-djam', '--from', 'mysql://host/djam'], env),
      runCli(['import-djam'], env),
    ]);
    assertOneSentence(unreachable, /^Cannot connect to the original DJAM database at 127\.0\.0\.1:1\/djam: .+\.\n$/);
    assert.doesNotMatch(unreachable.stderr, /hunter2/, 'the password is never printed');
    assertOneSentence(notDjam, /^The database at .+\/djam_empty_\w+ is not a DJAM database: .+\.\n$/);
    assertOneSentence(notUrl, /^--from must be a PostgreSQL URL/);
    assert.equal(noFrom.code, 2);
    assert.match(noFrom.stderr, /^djam import-djam: missing --from/);
  });

  it('--dry-run reports what it would import and writes nothing', async () => {
    const before = await countRows();
    const out = await importDjam('--dry-run');
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^Import from .+\/djam_src_\w+ \(dry run\)$/m);
    assert.match(out.stdout, /^Dry run: 30 row\(s\) would be imported; nothing was written\.$/m);
    assert.deepEqual(tallies(out.stdout).users, [4, 0, 1]);
    assert.deepEqual(await countRows(), before);
  });

  it('imports every table, keeping ids where free and reporting the one it had to move', async () => {
    const before = await countRows();
    const out = await importDjam();
    assert.equal(out.code, 0, `${out.stdout}\n${out.stderr}`);
    assert.equal(out.stderr, '', 'no progress lines when stderr is not a terminal');
    firstRun = tallies(out.stdout);
    assert.deepEqual(firstRun, {
      users: [4, 0, 1], teams: [3, 0, 0], 'team members': [3, 0, 0], roles: [2, 0, 0], 'user roles': [1, 0, 0], 'team roles': [1, 0, 0],
      resources: [1, 0, 0], 'access rules': [2, 0, 0], clients: [4, 0, 1], 'login preventions': [1, 0, 0], 'login prevention teams': [1, 0, 0],
      'api keys': [5, 0, 0], 'signing keys': [2, 0, 0],
    });
    assert.match(out.stdout, /resolved {3}users #1 root@example\.com: id 1 is taken here by another e-mail; imported as #6 with legacy_user_id 1/);
    assert.match(out.stdout, /resolved {3}clients #4 old-widget \(Old widget\): a public client with only implicit response types \(id_token token\)/);
    assert.doesNotMatch(out.stdout, /UNRESOLVED/);
    assert.match(out.stdout, /^Imported 30 row\(s\)\.$/m);
    for (const key of Object.values(KEYS)) assert.ok(!out.stdout.includes(key), 'key values never appear in the summary');
    const afterCounts = await countRows();
    assert.equal(afterCounts.users, before.users + 4);
    assert.equal(afterCounts.api_keys, 5);
  });

  it('a second run changes nothing and says so', async () => {
    const before = await countRows();
    const out = await importDjam();
    assert.equal(out.code, 0, out.stdout);
    assert.match(out.stdout, /^Nothing changed: everything in the original is already here\.$/m);
    assert.doesNotMatch(out.stdout, /Conflicts:/);
    for (const [table, [imported, unchanged]] of Object.entries(tallies(out.stdout))) {
      assert.equal(imported, 0, table);
      assert.equal(unchanged, firstRun[table][0], `${table}: every row matched`);
    }
    assert.deepEqual(await countRows(), before);
  });

  it('refuses to run under another DJAM_SECRET_KEY than the server\'s, whose keys and secrets would not work', async () => {
    const out = await runCli(['import-djam', '--from', original.url], { ...env, DJAM_SECRET_KEY: randomBytes(32).toString('hex') });
    assertOneSentence(out, /^This server's stored secrets do not open with this DJAM_SECRET_KEY: run the import with the server's DJAM_SECRET_KEY\.\n$/);
  });

  it('a failure half-way leaves this database as it was; the next run adds what appeared in the original', async () => {
    const before = await countRows();
    // dave is new upstream (his id 6 is root's here now); the slug-less resource breaks the import after the users.
    await original.query(async (c) => {
      await c.query(`insert into user_management_user (id, password, is_superuser, username, first_name, last_name, email, email_confirmed, uuid, is_staff, is_active, date_joined)
        values (6, $1, false, 'dave@example.com', 'Dave', '', 'dave@example.com', true, 'a0000000-0000-4000-8000-000000000006', false, true, now())`, [djangoPbkdf2('dave-password-5', 'd4v3', 'sha256')]);
      await c.query(`insert into identity_provider_apikey (key, revoked, expiry, scope, user_id) values ('66666666-6666-4666-8666-666666666666', false, now() + interval '9 days', 'resource', 6)`);
      await c.query('alter table authorizations_resource alter column slug drop not null');
      await c.query(`insert into authorizations_resource (id, slug, url) values (2, null, 'http://127.0.0.1:9/broken')`);
    });
    const failed = await importDjam();
    assertOneSentence(failed, /^The import failed and this server's database was left as it was: .*null value in column "slug".*\.\n$/);
    assert.deepEqual(await countRows(), before, 'dave and his key were rolled back with the rest');

    await original.query(async (c) => {
      await c.query('delete from authorizations_resource where id = 2');
      await c.query('alter table authorizations_resource alter column slug set not null');
    });
    const out = await importDjam();
    assert.equal(out.code, 0, out.stdout);
    assert.equal(tallies(out.stdout).users[0], 1);
    assert.equal(tallies(out.stdout)['api keys'][0], 1);
    assert.match(out.stdout, /users #6 dave@example\.com: id 6 is taken here by another e-mail; imported as #7 with legacy_user_id 6/);
    assert.match(out.stdout, /^Imported 2 row\(s\)\.$/m);
    assert.deepEqual(await countRows(), { ...before, users: before.users + 1, api_keys: before.api_keys + 1 });
  });

  describe('the server started on the imported data', () => {
    let server: Awaited<ReturnType<typeof startServerOnCliData>>;
    before(async () => { server = await startServerOnCliData(dataDir, SECRET_KEY, testDb); });
    after(async () => { await server?.close(); });

    it('every user signs in with the original password under the original id; the hash becomes Argon2id', async () => {
      const everyone = { ...USERS, dave: { email: 'dave@example.com', password: 'dave-password-5', sourceId: 6, id: 7 } };
      for (const u of Object.values(everyone)) {
        const res = await new Browser(server.url).submitForm('/accounts/login/', { username: u.email, password: u.password });
        assert.equal(res.status, 302, `${u.email} signs in`);
        assert.equal(res.headers.get('location'), `/user/account/edit/${u.id}/`, `${u.email} is user #${u.id}`);
        const stored = await findUserByEmail({ db: server.database.db }, u.email);
        assert.match(stored!.password, /^\$argon2id\$/, `${u.email}'s Django hash was upgraded`);
      }
      const wrong = await new Browser(server.url).submitForm('/accounts/login/', { username: USERS.bob.email, password: USERS.alice.password });
      assert.equal(wrong.status, 200, 'a wrong password still fails');
      const root = await findUserByEmail({ db: server.database.db }, USERS.root.email);
      assert.deepEqual([root!.legacyUserId, root!.username, root!.isSuperuser, root!.isStaff], [1, 'root', true, true]);
      const carol = await findUserByEmail({ db: server.database.db }, USERS.carol.email);
      assert.equal(carol!.legacyUserId, 900, 'a pre-DJAM legacy id is kept');
    });

    it('API keys answer /openid/authkey/introspect/ as the original did', async () => {
      const introspect = (key: string) => fetch(`${server.url}/openid/authkey/introspect/?authkey=${key}`);
      const alice = await introspect(KEYS.aliceResource);
      assert.equal(alice.status, 200);
      assert.deepEqual(await alice.json(), { username: 'alice@example.com', groups: ['team1,team2'] });
      const bob = await introspect(KEYS.bobResource);
      assert.equal(bob.status, 200);
      assert.deepEqual(await bob.json(), { username: 'bob@example.com', groups: ['team2'] });
      for (const key of [KEYS.aliceRevoked, KEYS.bobExpired, KEYS.aliceManagement]) {
        assert.equal((await introspect(key)).status, 403, `${key} is refused`);
      }
      const management = await findApiKey({ db: server.database.db, keys: server.keys }, KEYS.aliceManagement);
      assert.ok(management && isKeyUsable(management, 'management'), 'the management key still authenticates the key API');
      assert.equal(management.id, 4, 'key ids are kept');
    });

    it('a confidential client without a code response type keeps its secret for client credentials', async () => {
      const token = await fetch(`${server.url}/openid/token`, {
        method: 'POST', headers: { Authorization: basicAuth('machine', CLIENT_SECRETS.machine), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&scope=read',
      });
      assert.equal(token.status, 200);
      assert.equal(typeof ((await token.json()) as { access_token?: unknown }).access_token, 'string');
      const wrong = await fetch(`${server.url}/openid/token`, {
        method: 'POST', headers: { Authorization: basicAuth('machine', `${CLIENT_SECRETS.machine}x`), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&scope=read',
      });
      assert.equal(wrong.status, 401);
    });

    it('a confidential code client: the newest imported RSA key signs its id_tokens (original kid and sub); its old secret introspects', async () => {
      const config = await oidc.discovery(new URL(`${server.url}/openid`), 'gsclient', undefined, oidc.ClientSecretBasic(CLIENT_SECRETS.gsclient), { execute: [oidc.allowInsecureRequests] });
      const browser = new Browser(server.url);
      assert.equal((await browser.submitForm('/accounts/login/', { username: USERS.alice.email, password: USERS.alice.password })).status, 302);
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const res = await browser.get(oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid email user_id groups', state, nonce }).href);
      assert.ok([302, 303].includes(res.status), `authorize answered ${res.status}`);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(res.headers.get('location')!), { expectedState: state, expectedNonce: nonce, idTokenExpected: true });
      assert.equal(decodeProtectedHeader(tokens.id_token!).kid, original.kids[1]);
      const claims = tokens.claims()!;
      assert.equal(claims.sub, '2');
      assert.equal(claims.user_id, 2);
      assert.deepEqual(claims.groups, [['team1', 'team2']]);

      // The same client introspects its token with its old secret (docs/compatibility.md §3.5); a wrong secret sees nothing.
      const introspect = async (secret: string) => (await fetch(`${server.url}/openid/introspect`, {
        method: 'POST', headers: { Authorization: basicAuth('gsclient', secret), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: tokens.access_token }),
      })).json() as Promise<Record<string, unknown>>;
      const seen = await introspect(CLIENT_SECRETS.gsclient);
      assert.equal(seen.active, true);
      assert.equal(seen.sub, '2');
      assert.equal(seen.client_id, 'gsclient');
      assert.deepEqual(await introspect(`${CLIENT_SECRETS.gsclient}x`), { active: false });
    });

    it('a JWT the original signed with its older key verifies against /openid/jwks', async () => {
      const jwt = await new SignJWT({ sub: '2' }).setProtectedHeader({ alg: 'RS256', kid: original.kids[0] }).setIssuedAt().setExpirationTime('5m')
        .sign(createPrivateKey(original.rsaPems[0]));
      const { payload, protectedHeader } = await jwtVerify(jwt, createRemoteJWKSet(new URL(`${server.url}/openid/jwks`)));
      assert.equal(payload.sub, '2');
      assert.equal(protectedHeader.kid, original.kids[0]);
    });

    it('teams keep their ids; roles, resources and login preventions carry over', async () => {
      const deps = { db: server.database.db };
      assert.deepEqual((await listTeams(deps)).map((t) => [t.id, t.name]), [[1, 'team1'], [2, 'team2'], [3, 'empty']]);
      assert.deepEqual(await listEffectiveRoleNames(deps, USERS.alice.id), ['editor', 'viewer']);
      assert.deepEqual(await listEffectiveRoleNames(deps, USERS.bob.id), ['viewer']);
      assert.deepEqual((await listUsableResources(deps, { id: USERS.bob.id, isSuperuser: false })).map((r) => r.slug), ['geoserver']);
      assert.deepEqual(await listUsableResources(deps, { id: USERS.carol.id, isSuperuser: false }), []);
      assert.equal(await isLoginPrevented(deps, '482913', USERS.root.id), true, 'members of no team are kept out of the prevented client');
      assert.equal(await isLoginPrevented(deps, '482913', USERS.bob.id), false);
    });
  });

  it('a change upstream to an imported row is an unresolved conflict; nothing is overwritten', async () => {
    const before = await countRows();
    await original.query((c) => c.query('update identity_provider_apikey set revoked = true where id = 1'));
    const out = await importDjam();
    await original.query((c) => c.query('update identity_provider_apikey set revoked = false where id = 1'));
    assert.equal(out.code, 1, out.stdout);
    assert.match(out.stdout, /UNRESOLVED api keys #1 \(resource key of user #2\): revoked is false here but true in the original; left as it is here/);
    assert.match(out.stdout, /1 unresolved conflict\(s\): fix them and run the import again\.$/m);
    assert.deepEqual(await countRows(), before);
  });
});
