// The README's "First steps" and its authorization-code walkthrough, followed as a newcomer does on
// a fresh install: `npm start` (the command package.json holds) on the embedded defaults, the
// README's own `createsuperuser --noinput` line, a restart, sign-in, an application registered at
// /o/applications/register/, and the walkthrough's authorize URL and token request, ending with
// the application calling /resource as the new administrator. The README's commands are read from
// the README, so an edit that breaks them fails here.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanEnv, runCli } from '../helpers/cli-process.ts';
import { Browser } from '../helpers/cookie-jar.ts';
import { freePort } from '../helpers/start-server.ts';
import { waitForHttp } from '../helpers/wait-for.ts';

const repoRoot = new URL('../..', import.meta.url).pathname;
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const startScript = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;

/** The README's scripted createsuperuser: its environment assignments (shell line continuations joined). */
function readmeSuperuserEnv(): Record<string, string> {
  const line = /((?:DJAM_SUPERUSER_\w+=(?:'[^']*'|\S+)\s*(?:\\\n\s*)?)+)npx djam createsuperuser --noinput/.exec(readme)?.[1];
  assert.ok(line, 'the README shows createsuperuser --noinput with its environment');
  return Object.fromEntries([...line.matchAll(/(DJAM_SUPERUSER_\w+)=('([^']*)'|\S+)/g)].map((m) => [m[1]!, m[3] ?? m[2]!]));
}

/** `npm start`'s command, on the embedded defaults (only the data directory and port are the test's). */
async function npmStart(env: Record<string, string>) {
  const [command, ...args] = startScript.split(/\s+/);
  assert.equal(command, 'node');
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk; });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitForHttp(`http://127.0.0.1:${env.DJAM_PORT}/healthz`, 90_000);
  return { output: () => output, stop: async () => { child.kill('SIGTERM'); await exited; } };
}

const skip = process.env.DJAM_TEST_DATABASE_URL ? 'the first steps are those of the embedded database; the PGlite run follows them' : false;

test('README first steps on a fresh install end with an application signed in as the new administrator', { skip, timeout: 240_000 }, async (t) => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { DJAM_DATA_DIR: mkdtempSync(join(tmpdir(), 'djam-first-steps-')), DJAM_PORT: String(port) };

  // 1. Start: the banner says where it listens and how to make the first admin.
  let server = await npmStart(env);
  t.after(() => server.stop());
  await new Promise((r) => setTimeout(r, 500));
  assert.match(server.output(), new RegExp(`listens on http://127\\.0\\.0\\.1:${port}`));
  assert.match(server.output(), /Create the first admin with: npx djam createsuperuser/);
  const discovery = await (await fetch(`${base}/openid/.well-known/openid-configuration`)).json() as { issuer: string };
  assert.equal(new URL(discovery.issuer).port, String(port), 'the issuer follows the port listened on');

  // 2. Stop, create the administrator with the README's line, start again.
  await server.stop();
  const admin = readmeSuperuserEnv();
  const created = await runCli(['createsuperuser', '--noinput'], { ...cleanEnv(), ...env, ...admin });
  assert.equal(created.code, 0, created.stderr);
  server = await npmStart(env);
  await new Promise((r) => setTimeout(r, 500));
  assert.doesNotMatch(server.output(), /Create the first admin/);

  // 3. Sign in.
  const browser = new Browser(base);
  const signedIn = await browser.submitForm('/accounts/login/', { username: admin.DJAM_SUPERUSER_EMAIL!, password: admin.DJAM_SUPERUSER_PASSWORD! });
  assert.equal(signedIn.status, 302, await signedIn.text());

  // 4. Register an application (the walkthrough's redirect URI, on this port).
  const callback = `${base}/noexist/callback`;
  const registered = await browser.submitForm('/o/applications/register/', {
    name: 'my app', client_type: 'confidential', authorization_grant_type: 'authorization-code', redirect_uris: callback,
  });
  assert.equal(registered.status, 303);
  const appPage = await (await browser.get(registered.headers.get('location')!)).text();
  const id = /id="client-id">([^<]+)</.exec(appPage)?.[1];
  const secret = /id="client-secret" class="secret" readonly value="([^"]+)"/.exec(appPage)?.[1];
  assert.ok(id && secret, 'the client id and the one-time secret are shown');

  // The walkthrough: the authorize URL in the signed-in browser, consent, the code, the token.
  const authorizeTemplate = /^http:\/\/127\.0\.0\.1:8000(\/o\/authorize\/\?response_type=code&client_id=\$\{ID\}&redirect_uri=)http:\/\/127\.0\.0\.1:8000\/noexist\/callback$/m.exec(readme)?.[1];
  assert.ok(authorizeTemplate, 'the README shows the authorize URL');
  const consent = await browser.follow(await browser.get(`${authorizeTemplate.replace('${ID}', id)}${callback}`));
  const uid = /action="\/interaction\/([^/]+)\/confirm"/.exec(await consent.res.text())?.[1];
  assert.ok(uid, 'a consent page');
  const { url } = await browser.follow(await browser.submitForm(`/interaction/${uid}`, {}, `/interaction/${uid}/confirm`));
  const code = new URL(url).searchParams.get('code');
  assert.ok(url.startsWith(callback) && code, url);
  const token = await fetch(`${base}/o/token/`, {
    method: 'POST', headers: { 'Cache-Control': 'no-cache', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: id, client_secret: secret, code, redirect_uri: callback, grant_type: 'authorization_code' }),
  });
  assert.equal(token.status, 200);
  const { access_token: accessToken } = await token.json() as { access_token: string };
  const resource = await fetch(`${base}/resource`, { headers: { Authorization: `Bearer ${accessToken}` } });
  assert.equal(resource.status, 200);
  assert.equal((await resource.json() as { user: { email: string } }).user.email, admin.DJAM_SUPERUSER_EMAIL);
});
