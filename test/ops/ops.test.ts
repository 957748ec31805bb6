// Operations surface: health, readiness, metrics, request ids, and a clean SIGTERM shutdown
// that lets an in-flight request finish.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startTestServer } from '../helpers/start-server.ts';
import { testDatabaseUrl } from '../helpers/test-database.ts';
import { waitForHttp } from '../helpers/wait-for.ts';

test('healthz, readyz and the X-Request-Id round trip', async (t) => {
  const server = await startTestServer(t);
  const health = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'probe-42' } });
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok' });
  assert.equal(health.headers.get('x-request-id'), 'probe-42');
  const generated = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
  assert.match(generated.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  const ready = await fetch(`${server.url}/readyz`);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { ready: true, status: 'ready', checks: { database: 'ok', migrations: 'ok', changeFeed: 'ok' } });
});

test('metrics: loopback by default, a bearer token when configured', async (t) => {
  const server = await startTestServer(t);
  await fetch(`${server.url}/openid/jwks`);
  const res = await fetch(`${server.url}/metrics`);
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.match(text, /djam_http_requests_total\{method="GET",route="\/openid\/\*",status="200"\} 1/);
  assert.match(text, /nodejs_eventloop_lag_seconds/);
  assert.match(text, /process_resident_memory_bytes/);
  assert.match(text, /djam_jobs/);

  const guarded = await startTestServer(t, { DJAM_METRICS_TOKEN: 'scrape-secret-0123456789' });
  assert.equal((await fetch(`${guarded.url}/metrics`)).status, 403);
  assert.equal((await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status, 403);
  assert.equal((await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer scrape-secret-0123456789' } })).status, 200);
});

test('#17 item 9: behind a trusted proxy, /metrics is loopback only for a loopback client', async (t) => {
  const server = await startTestServer(t, { DJAM_TRUST_PROXY: '127.0.0.1' });
  const forwarded = { 'x-forwarded-for': '203.0.113.7' };
  const relayed = await fetch(`${server.url}/metrics`, { headers: forwarded });
  assert.equal(relayed.status, 403);
  assert.equal(((await relayed.json()) as { error: string }).error, 'FORBIDDEN');
  // A loopback client relayed by the loopback proxy is still local.
  assert.equal((await fetch(`${server.url}/metrics`, { headers: { 'x-forwarded-for': '127.0.0.1' } })).status, 200);
  assert.equal((await fetch(`${server.url}/metrics`)).status, 200);

  const guarded = await startTestServer(t, { DJAM_TRUST_PROXY: '127.0.0.1', DJAM_METRICS_TOKEN: 'scrape-secret-0123456789' });
  const bearer = { authorization: 'Bearer scrape-secret-0123456789' };
  assert.equal((await fetch(`${guarded.url}/metrics`, { headers: { ...forwarded, ...bearer } })).status, 200);
  assert.equal((await fetch(`${guarded.url}/metrics`, { headers: forwarded })).status, 403);
});

test('tokens issued are counted per grant type', async (t) => {
  const server = await startTestServer(t);
  const { client, clientSecret } = await server.make.client({ grantType: 'client_credentials', redirectUris: [] });
  const basic = `Basic ${Buffer.from(`${client.clientId}:${clientSecret}`).toString('base64')}`;
  const token = await fetch(`${server.url}/openid/token`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
  assert.equal(token.status, 200);
  assert.match(await (await fetch(`${server.url}/metrics`)).text(), /djam_tokens_issued_total\{grant_type="client_credentials"\} 1/);
});

test('SIGTERM lets an in-flight request finish, then the process exits 0', { skip: testDatabaseUrl ? 'runs once, on the embedded database' : false }, async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const env = { ...process.env, DJAM_PORT: String(port), DJAM_HOST: '127.0.0.1', SITEURL: `http://127.0.0.1:${port}/`, DJAM_LOG_LEVEL: 'warn',
    DJAM_SECRET_KEY: 'shutdown-test-secret-0123456789abcdef', DJAM_DATA_DIR: mkdtempSync(join(tmpdir(), 'djam-shutdown-')) };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await waitForHttp(`http://127.0.0.1:${port}/healthz`);
  // A token request whose body arrives in two parts, with SIGTERM in between.
  const body = 'grant_type=client_credentials&client_id=nobody&client_secret=nothing';
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/openid/token', method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.write(body.slice(0, 10));
    setTimeout(() => { child.kill('SIGTERM'); setTimeout(() => req.end(body.slice(10)), 300); }, 200);
  });
  const { status, text } = await answer;
  assert.equal(status, 401);
  assert.equal((JSON.parse(text) as { error: string }).error, 'invalid_client');
  assert.equal(await exited, 0);
});

test('in the prod and test profiles a Host other than SITEURL\'s (or DJAM_ALLOWED_HOSTS) is refused', async (t) => {
  const server = await startTestServer(t, { DJAM_PROJECT_ENVIRONMENT: 'test' });
  const port = new URL(server.url).port;
  assert.equal((await fetch(`${server.url}/openid/jwks`)).status, 200);
  const forged = await fetch(`http://localhost:${port}/openid/jwks`);
  assert.equal(forged.status, 400);
  const listed = await startTestServer(t, { DJAM_PROJECT_ENVIRONMENT: 'test', DJAM_ALLOWED_HOSTS: `idp.example.org, localhost:0` });
  assert.equal((await fetch(`${listed.url}/openid/jwks`)).status, 400);
  assert.equal((await fetch(`${listed.url}/healthz`)).status, 200);
});
