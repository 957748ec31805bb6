// The original DJAM's database for the import tests: a fresh PostgreSQL database loaded from
// fixtures/djam-original.sql, with real Django password hashes for known passwords and fresh RSA
// keys (PKCS#1 PEM, as django-oidc-provider's creatersakey stores them) filled in here.
import { createHash, generateKeyPairSync, pbkdf2Sync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { testDatabaseUrl } from '../helpers/test-database.ts';

const ADMIN_URL = testDatabaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const FIXTURE = new URL('./fixtures/djam-original.sql', import.meta.url);

// Django's hashers (django.contrib.auth.hashers), with small iteration counts.
const djangoSha1 = (password: string, salt: string) => `sha1$${salt}$${createHash('sha1').update(salt + password).digest('hex')}`;
export const djangoPbkdf2 = (password: string, salt: string, digest: 'sha256' | 'sha1', iterations = 1000) =>
  `pbkdf2_${digest}$${iterations}$${salt}$${pbkdf2Sync(password, salt, iterations, digest === 'sha256' ? 32 : 20, digest).toString('base64')}`;

/** The fixture's users: their passwords, Django hashes, original ids and the ids they have here after the import. */
export const USERS = {
  root: { email: 'root@example.com', password: 'root-password-1', hash: (p: string) => djangoSha1(p, 'x9Zk2'), sourceId: 1, id: 6 },
  alice: { email: 'alice@example.com', password: 'alice-password-2', hash: (p: string) => djangoPbkdf2(p, 'Wq8yH1s0pLm3', 'sha256'), sourceId: 2, id: 2 },
  bob: { email: 'bob@example.com', password: 'bob-password-3', hash: (p: string) => djangoPbkdf2(p, 'b0bSalt77', 'sha1'), sourceId: 3, id: 3 },
  carol: { email: 'carol@example.com', password: 'carol-password-4', hash: (p: string) => djangoPbkdf2(p, 'c4r0lSalt', 'sha256', 2000), sourceId: 5, id: 5 },
};

/** The fixture's API keys (see identity_provider_apikey there). */
export const KEYS = {
  aliceResource: '11111111-1111-4111-8111-111111111111', aliceRevoked: '22222222-2222-4222-8222-222222222222',
  bobExpired: '33333333-3333-4333-8333-333333333333', aliceManagement: '44444444-4444-4444-8444-444444444444',
  bobResource: '55555555-5555-4555-8555-555555555555',
};

export const CLIENT_SECRETS = {
  gsclient: 'gs-secret-0123456789abcdef0123456789abcdef01234567',
  machine: 'machine-secret-fedcba9876543210fedcba9876543210',
};

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.href;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Why the tests cannot run here (no PostgreSQL for the source), or false. CI always has one. */
export async function postgresMissing(): Promise<string | false> {
  try {
    await withClient(ADMIN_URL, (c) => c.query('select 1'));
    return false;
  } catch (err) {
    if (process.env.CI) throw err;
    return `the original's database needs PostgreSQL at ${new URL(ADMIN_URL).host} (or DJAM_TEST_DATABASE_URL): ${(err as Error).message}`;
  }
}

export interface OriginalDatabase {
  url: string;
  /** A database without any DJAM table. */
  emptyUrl: string;
  rsaPems: string[];
  /** kid of each RSA key: the MD5 of its PEM. */
  kids: string[];
  query<T>(fn: (client: pg.Client) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}

export async function createOriginalDatabase(): Promise<OriginalDatabase> {
  const suffix = randomBytes(5).toString('hex');
  const [name, emptyName] = [`djam_src_${suffix}`, `djam_empty_${suffix}`];
  await withClient(ADMIN_URL, async (c) => {
    await c.query(`create database ${name}`);
    await c.query(`create database ${emptyName}`);
  });
  const url = databaseUrl(name);
  const rsaPems = [0, 1].map(() => generateKeyPairSync('rsa', {
    modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey);
  await withClient(url, async (c) => {
    await c.query(readFileSync(FIXTURE, 'utf8'));
    for (const u of Object.values(USERS)) await c.query('update user_management_user set password = $1 where email = $2', [u.hash(u.password), u.email]);
    for (const pem of rsaPems) await c.query('insert into oidc_provider_rsakey (key) values ($1)', [pem]);
  });
  return {
    url, emptyUrl: databaseUrl(emptyName), rsaPems, kids: rsaPems.map((pem) => createHash('md5').update(pem).digest('hex')),
    query: (fn) => withClient(url, fn),
    drop: () => withClient(ADMIN_URL, async (c) => {
      await c.query(`drop database if exists ${name} with (force)`);
      await c.query(`drop database if exists ${emptyName} with (force)`);
    }),
  };
}
