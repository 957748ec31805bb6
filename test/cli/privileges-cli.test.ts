// Protecting a service from the command line, as the README shows: team, role, resource with an
// active rule, keys; then the real server proxies for the member and refuses everyone else.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanEnv, runCli, startServerOnCliData, type CliEnv } from '../helpers/cli-process.ts';
import { openTestDatabase, testDatabaseUrl } from '../helpers/test-database.ts';

function upstream(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url })));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/app` })));
}

test('createteam, createrole, createresource and createapikey protect an upstream service', async (t) => {
  const secret = randomBytes(24).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'djam-priv-cli-'));
  const testDb = testDatabaseUrl ? await openTestDatabase() : undefined;
  t.after(async () => { await testDb?.close(); });
  const env: CliEnv = { ...cleanEnv(), DJAM_DATA_DIR: dataDir, DJAM_SECRET_KEY: secret, DJAM_LOG_LEVEL: 'silent', ...(testDb?.settings ?? {}) };
  const up = await upstream();
  t.after(() => up.server.close());
  const ok = async (args: string[], extra: CliEnv = {}) => {
    const out = await runCli(args, { ...env, ...extra });
    assert.equal(out.code, 0, out.stderr);
    return out.stdout;
  };
  await ok(['migrate']);
  await ok(['createsuperuser', '--noinput'], { DJAM_SUPERUSER_EMAIL: 'member@example.com', DJAM_SUPERUSER_PASSWORD: 'member-password', DJAM_SUPERUSER_FIRST_NAME: 'Mo', DJAM_SUPERUSER_LAST_NAME: 'Member' });
  await ok(['createteam', '--name', 'mappers', '--member', 'member@example.com']);
  await ok(['createrole', '--name', 'viewer', '--team', 'mappers']);
  const resource = JSON.parse(await ok(['createresource', '--slug', 'maps', '--upstream', '--url', up.url, '--role', 'viewer'])) as { slug: string };
  assert.equal(resource.slug, 'maps');
  const key = JSON.parse(await ok(['createapikey', '--user', 'member@example.com', '--scope', 'resource'])) as { key: string };
  const management = JSON.parse(await ok(['createapikey', '--user', 'member@example.com', '--scope', 'management', '--days', '7'])) as { key: string };
  const unknown = await runCli(['createrole', '--name', 'x', '--team', 'no-such-team'], env);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /No team named no-such-team\./);
  assert.equal((await runCli(['createapikey', '--user', 'member@example.com', '--scope', 'other'], env)).code, 2);

  const server = await startServerOnCliData(dataDir, secret, testDb);
  t.after(() => server.close());
  const proxied = await fetch(`${server.url}/service/maps/tiles?z=1&authkey=${key.key}`);
  assert.equal(proxied.status, 200);
  assert.deepEqual(await proxied.json(), { path: '/app/tiles?z=1' });
  assert.equal((await fetch(`${server.url}/service/maps`)).status, 403);
  const introspection = await fetch(`${server.url}/openid/authkey/introspect/?authkey=${key.key}`);
  assert.deepEqual(await introspection.json(), { username: 'member@example.com', groups: ['mappers'] });
  const list = await fetch(`${server.url}/openid/api/token/key_list/`, { method: 'POST', headers: { authorization: `Token ${management.key}`, 'content-type': 'application/json' }, body: '{}' });
  assert.deepEqual(await list.json(), { 'tokens of member@example.com': [key.key] });
});
