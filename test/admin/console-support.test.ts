// What the console stands on: who is signed in (with a CSRF token), the dashboard counts, the
// effective configuration for superusers, and the built SPA served at /admin/ with caching
// headers, compression and deep links.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { startAdminFixture, type AdminFixture } from '../helpers/admin.fixture.ts';

let F: AdminFixture;
before(async (t) => { F = await startAdminFixture(t); });

const DIST = new URL('../../console/dist/', import.meta.url).pathname;

describe('console support endpoints', () => {
  test('session: the signed-in administrator and a CSRF token that unsafe calls accept', async () => {
    const res = await F.staff.get('/session');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.body.user.email, 'staff@example.com');
    assert.equal(res.body.user.is_superuser, false);
    assert.equal(res.body.actor.type, 'user');
    assert.match(res.body.csrf_token, /^[\w-]+\.[\w-]+$/);
    const machine = await F.machine.get('/session');
    assert.equal(machine.status, 200);
    assert.equal(machine.body.user, null);
    assert.deepEqual(machine.body.actor, { type: 'client', id: 'robot', label: 'robot', is_superuser: false });
    assert.equal((await F.anonymous.get('/session')).status, 401);
    assert.equal((await F.member.get('/session')).body.error, 'STAFF_REQUIRED');
  });

  test('stats: counts follow what exists', async () => {
    const before = (await F.staff.get('/stats')).body;
    assert.equal(before.users, 3);
    assert.equal(before.clients, 1);
    assert.ok(before.logins_last_day >= 3, 'three fixture users signed in');
    const key = await F.server.make.apiKey(F.ids.member, 'resource');
    await F.server.make.apiKey(F.ids.member, 'resource', { revoked: true });
    assert.ok(key);
    const created = await F.staff.post('/users', { email: 'counted@example.com' });
    assert.equal(created.status, 201);
    const afterwards = (await F.staff.get('/stats')).body;
    assert.equal(afterwards.users, before.users + 1);
    assert.equal(afterwards.active_keys, before.active_keys + 1, 'a revoked key is not active');
    for (const field of ['jobs_waiting', 'jobs_failed']) assert.equal(typeof afterwards[field], 'number');
  });

  test('config: superusers read every setting with secrets masked; staff get 403', async () => {
    const res = await F.superuser.get('/config');
    assert.equal(res.status, 200);
    const byName = new Map<string, { value: unknown; secret: boolean; description: string }>(res.body.items.map((i: { name: string }) => [i.name, i]));
    assert.equal(byName.get('SITEURL')?.value, F.server.config.SITEURL);
    assert.equal(byName.get('DJAM_SECRET_KEY')?.secret, true);
    assert.equal(byName.get('DJAM_SECRET_KEY')?.value, '********');
    assert.ok(!JSON.stringify(res.body).includes(String(F.server.config.DJAM_SECRET_KEY)), 'the secret key never leaves');
    assert.ok(byName.get('DJAM_PORT')?.description);
    const staff = await F.staff.get('/config');
    assert.equal(staff.status, 403);
    assert.equal(staff.body.error, 'SUPERUSER_REQUIRED');
  });
});

describe('console static files', () => {
  test('the build exists (npm install / npm run build make it)', () => {
    assert.ok(existsSync(`${DIST}index.html`), 'console/dist is missing: run `npm run build`');
  });

  test('/admin/ is the SPA shell, never cached; /admin redirects there', async () => {
    const shell = await fetch(`${F.server.url}/admin/`);
    assert.equal(shell.status, 200);
    assert.match(shell.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(shell.headers.get('cache-control'), 'no-cache');
    assert.match(await shell.text(), /<div id="root">/);
    const bare = await fetch(`${F.server.url}/admin`, { redirect: 'manual' });
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.get('location'), '/admin/');
  });

  test('a deep link answers with the shell so the SPA can route it', async () => {
    const res = await fetch(`${F.server.url}/admin/users/42/show`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.match(await res.text(), /<div id="root">/);
  });

  test('hashed assets are cached for a year and sent compressed to browsers that accept it', async () => {
    const script = readdirSync(`${DIST}assets`).find((f) => f.endsWith('.js'));
    assert.ok(script);
    const plain = await fetch(`${F.server.url}/admin/assets/${script}`, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(plain.headers.get('content-type') ?? '', /javascript/);
    const plainBody = Buffer.from(await plain.arrayBuffer());
    // fetch decodes the body itself; what crossed the wire is the encoded file.
    const brotli = await fetch(`${F.server.url}/admin/assets/${script}`, { headers: { 'accept-encoding': 'br' } });
    assert.equal(brotli.headers.get('content-encoding'), 'br');
    assert.deepEqual(Buffer.from(await brotli.arrayBuffer()), plainBody);
    const gzip = await fetch(`${F.server.url}/admin/assets/${script}`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gzip.headers.get('content-encoding'), 'gzip');
    assert.match(gzip.headers.get('vary') ?? '', /accept-encoding/i);
    const missing = await fetch(`${F.server.url}/admin/assets/nope-123.js`);
    assert.notEqual(missing.headers.get('cache-control'), 'public, max-age=31536000, immutable', 'a missing asset is not cached for a year');
  });
});
