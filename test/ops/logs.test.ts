// The log as an operator reads it: JSON lines, one info line per request carrying the request id
// (the caller's X-Request-Id when it sends one), and no password, secret, key, token or cookie in
// any line, whatever the request carried. Pretty lines are for a person at a terminal.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { isPrettyLog } from '../../src/logging.ts';
import { basicAuth } from '../helpers/cookie-jar.ts';
import { startTestServer } from '../helpers/start-server.ts';

interface LogLine { level: number; msg: string; reqId?: string; method?: string; url?: string; status?: number }

function captureLog(): { stream: Writable; text(): string; lines(): LogLine[] } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _encoding, done) { chunks.push(String(chunk)); done(); } });
  const text = () => chunks.join('');
  return { stream, text, lines: () => text().split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogLine) };
}

/** The request line is written after the response is sent: wait for it. */
async function requestLine(log: ReturnType<typeof captureLog>, reqId: string): Promise<LogLine[]> {
  for (let i = 0; i < 50; i++) {
    const found = log.lines().filter((l) => l.reqId === reqId && l.msg === 'request');
    if (found.length) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  return [];
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };

test('one JSON info line per request with its id; secrets never reach the log', async (t) => {
  const log = captureLog();
  const server = await startTestServer(t, { DJAM_LOG_LEVEL: 'info' }, { logStream: log.stream });
  const user = await server.make.user({ password: 'Pw-in-the-login-form-4711' });
  const { client, clientSecret: secret } = await server.make.client({ grantType: 'client_credentials', redirectUris: [] });
  const clientSecret = secret!;
  const { key: authkey } = await server.make.apiKey(user.id, 'resource');

  const probe = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'lb-7f3a.1' } });
  assert.equal(probe.headers.get('x-request-id'), 'lb-7f3a.1', 'the incoming id is echoed');
  const [line, ...more] = await requestLine(log, 'lb-7f3a.1');
  assert.equal(more.length, 0, 'one line per request');
  assert.deepEqual([line.level, line.method, line.url, line.status], [30, 'GET', '/healthz', 200]);

  const browser = await server.signIn(user.email, user.password);
  const session = browser.cookie('djam_sessionid');
  assert.ok(session);
  const page = await browser.get('/user/account/');
  assert.equal(page.status, 200);
  const posted = await fetch(`${server.url}/openid/token`, {
    method: 'POST', headers: form, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: clientSecret }),
  });
  const { access_token: accessToken } = await posted.json() as { access_token: string };
  assert.ok(accessToken);
  const basic = basicAuth(client.clientId, clientSecret);
  assert.equal((await fetch(`${server.url}/openid/token`, { method: 'POST', headers: { ...form, authorization: basic }, body: 'grant_type=client_credentials' })).status, 200);
  await fetch(`${server.url}/openid/userinfo?access_token=${accessToken}`);
  const keyCheck = await fetch(`${server.url}/openid/authkey/introspect/?authkey=${authkey}`);
  assert.equal(keyCheck.status, 200);
  const keyCheckId = keyCheck.headers.get('x-request-id')!;
  assert.match(keyCheckId, /^[0-9a-f-]{36}$/, 'a generated id when the caller sends none');
  const [keyLine] = await requestLine(log, keyCheckId);
  assert.equal(keyLine.url, '/openid/authkey/introspect/?authkey=[redacted]');

  const text = log.text();
  const requests = log.lines().filter((l) => l.msg === 'request');
  assert.ok(requests.length >= 8, `a line per request, got ${requests.length}`);
  for (const l of requests) assert.ok(l.reqId, `request line without id: ${JSON.stringify(l)}`);
  const secrets = { password: user.password, clientSecret, basic: basic.slice('Basic '.length), session, authkey, accessToken,
    csrf: browser.cookie('XSRF-TOKEN') ?? 'no csrf cookie' };
  for (const [name, secret] of Object.entries(secrets)) assert.ok(!text.includes(secret), `${name} appears in the log`);
});

test('auto format: pretty in the local profile on a terminal, JSON otherwise; either can be forced', () => {
  const configOf = (env: Record<string, string>) => loadConfig({ DJAM_SECRET_KEY: randomBytes(32).toString('hex'), SITEURL: 'https://idp.example.org/', ...env }, '/nonexistent/.env');
  const local = configOf({});
  assert.equal(isPrettyLog(local, true), true);
  assert.equal(isPrettyLog(local, false), false, 'piped or redirected: JSON');
  assert.equal(isPrettyLog(configOf({ DJAM_PROJECT_ENVIRONMENT: 'prod' }), true), false);
  assert.equal(isPrettyLog(configOf({ DJAM_LOG_FORMAT: 'json' }), true), false);
  assert.equal(isPrettyLog(configOf({ DJAM_PROJECT_ENVIRONMENT: 'prod', DJAM_LOG_FORMAT: 'pretty' }), false), true);
});

test('pretty output is one readable line per event, secrets still redacted', () => {
  const script = `import pino from 'pino'; import { loadConfig } from './src/config.ts'; import { logOptions } from './src/logging.ts';
    const { stream, ...options } = logOptions(loadConfig());
    pino(options, stream).info({ userId: 7, password: 'hunter2-secret' }, 'user.signed_in');`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script],
    { env: { ...process.env, DJAM_LOG_FORMAT: 'pretty', DJAM_LOG_LEVEL: 'info', DJAM_DATA_DIR: mkdtempSync(join(tmpdir(), 'djam-logs-')) }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\[?\d\d:\d\d:\d\d\.\d{3}\]? .*INFO.*user\.signed_in.*"userId":7/);
  assert.ok(!r.stdout.includes('hunter2-secret'));
  assert.throws(() => JSON.parse(r.stdout), 'not JSON');
});
