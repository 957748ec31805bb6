// #21 webhooks: a receiver started by the test gets a signed delivery of a sign-in (verified with
// the standardwebhooks library; a wrong secret fails the check); with the receiver down the
// delivery is retried with back-off and arrives once it is up; a delivery that ran out of tries
// is dead and retried from the API; only superusers manage endpoints; secrets are shown once.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { before, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { AdminCaller, type Json } from '../helpers/admin.fixture.ts';
import { freePort, startTestServer, type TestServer } from '../helpers/start-server.ts';

/** Polls `check` every 50 ms until it holds, or fails after `timeoutMs`. */
async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check());) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Received { headers: IncomingHttpHeaders; body: string }

/** A webhook receiver on 127.0.0.1 that answers `status()` and keeps what it got. */
function receiver(port: number, status: () => number = () => 204): Promise<{ got: Received[]; server: Server; close(): Promise<void> }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c; });
    req.on('end', () => { got.push({ headers: req.headers, body }); res.writeHead(status()).end(); });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({
    got, server, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  })));
}

let server: TestServer;
let root: AdminCaller;
let staff: AdminCaller;
before(async (t) => {
  // Short back-off (0.2 s, doubling) and 4 tries, so the receiver-down and dead cases take seconds.
  server = await startTestServer(t, { DJAM_WEBHOOK_ALLOW_PRIVATE: 'true', DJAM_JOB_RETRY_SECONDS: '0.2', DJAM_JOB_POLL_SECONDS: '0.1', DJAM_WEBHOOK_MAX_ATTEMPTS: '4' });
  const su = await server.make.user({ email: 'root@example.com', isStaff: true, isSuperuser: true });
  const st = await server.make.user({ email: 'staff@example.com', isStaff: true });
  root = new AdminCaller(server, { browser: await server.signIn(su.email, su.password) });
  staff = new AdminCaller(server, { browser: await server.signIn(st.email, st.password) });
});

async function deliveries(id: number): Promise<Json[]> {
  return (await root.get(`/webhooks/${id}/deliveries`)).body.items;
}

test('#21 a sign-in reaches a webhook receiver, signed; a wrong secret fails the check', async (t) => {
  const rx = await receiver(0);
  t.after(() => rx.close());
  const port = (rx.server.address() as { port: number }).port;
  const created = await root.post('/webhooks', { url: `http://127.0.0.1:${port}/hook`, event_types: ['user.login'] });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.match(created.body.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
  const shown = await root.get(`/webhooks/${created.body.id}`);
  assert.equal(shown.body.secret, undefined, 'the secret is shown once');

  const bob = await server.make.user({ email: 'bob@example.com' });
  await server.signIn(bob.email, bob.password);
  await waitFor(() => rx.got.length >= 1, 10_000);
  const [delivery] = rx.got;
  const payload = new Webhook(created.body.secret).verify(delivery.body, delivery.headers as Record<string, string>) as Json;
  assert.equal(payload.type, 'user.login');
  assert.equal(payload.data.actor.label, bob.email);
  assert.equal(payload.data.user_id, bob.id);
  const other = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
  assert.throws(() => new Webhook(other).verify(delivery.body, delivery.headers as Record<string, string>), /signature/i);
  const tampered = delivery.body.replace(bob.email, 'mallory@example.com');
  assert.throws(() => new Webhook(created.body.secret).verify(tampered, delivery.headers as Record<string, string>), /signature/i);
  assert.ok(!delivery.body.includes('whsec_'), 'no secret in a delivery');

  await waitFor(async () => (await deliveries(created.body.id))[0]?.status === 'delivered', 5000);
  const [logged] = await deliveries(created.body.id);
  assert.deepEqual([logged.event_type, logged.attempts, logged.last_status_code], ['user.login', 1, 204]);
  // The endpoint's own changes are events too, and never carry its secret.
  const [made] = (await root.get('/events?type=webhook.created')).body.items;
  assert.equal(made.changes.after.url, `http://127.0.0.1:${port}/hook`);
  assert.ok(!JSON.stringify(made).includes(created.body.secret));
  assert.equal((await root.delete(`/webhooks/${created.body.id}`)).status, 204);
});

test('#21 with the receiver down, the delivery is retried and arrives once it is up', async (t) => {
  const port = await freePort();
  const secret = `whsec_${Buffer.alloc(24, 1).toString('base64')}`;
  const created = await root.post('/webhooks', { url: `http://127.0.0.1:${port}/down`, event_types: ['user.login_failed'], secret });
  assert.equal(created.status, 201);
  t.after(async () => { await root.delete(`/webhooks/${created.body.id}`); });
  await server.browser().submitForm('/accounts/login/', { username: 'carol@example.com', password: 'wrong' });
  await waitFor(async () => ((await deliveries(created.body.id))[0]?.attempts ?? 0) >= 2, 10_000);
  const [failing] = await deliveries(created.body.id);
  assert.equal(failing.status, 'failed');
  assert.match(failing.last_error, /ECONNREFUSED|fetch failed/);

  const rx = await receiver(port);
  t.after(() => rx.close());
  await waitFor(() => rx.got.length >= 1, 10_000);
  const payload = new Webhook(secret).verify(rx.got[0].body, rx.got[0].headers as Record<string, string>) as Json;
  assert.deepEqual([payload.type, payload.data.outcome, payload.data.actor.label], ['user.login_failed', 'failure', 'carol@example.com']);
  await waitFor(async () => (await deliveries(created.body.id))[0]?.status === 'delivered', 5000);
});

test('#21 a delivery that runs out of tries is dead, and a retry from the API delivers it', async (t) => {
  let answer = 500;
  const rx = await receiver(0, () => answer);
  t.after(() => rx.close());
  const port = (rx.server.address() as { port: number }).port;
  const created = await root.post('/webhooks', { url: `http://127.0.0.1:${port}/flaky`, event_types: ['role.created', 'team.created'] });
  t.after(async () => { await root.delete(`/webhooks/${created.body.id}`); });
  await root.post('/roles', { name: 'dead-letter' });
  await waitFor(async () => (await deliveries(created.body.id)).some((d) => d.status === 'dead'), 15_000);
  const dead = (await deliveries(created.body.id)).find((d) => d.status === 'dead')!;
  assert.deepEqual([dead.attempts, dead.last_status_code, dead.event_type], [4, 500, 'role.created']);
  assert.equal(rx.got.length, 4);

  answer = 200;
  const retried = await root.post(`/webhooks/${created.body.id}/deliveries/${dead.id}/retry`);
  assert.equal(retried.status, 200, JSON.stringify(retried.body));
  await waitFor(async () => (await deliveries(created.body.id)).find((d) => d.id === dead.id)?.status === 'delivered', 5000);
  assert.equal((await root.post(`/webhooks/${created.body.id}/deliveries/${dead.id}/retry`)).body.error, 'JOB_NOT_DEAD');
});

test('#21 only superusers manage webhooks; bad URLs, types and secrets are refused clearly', async () => {
  assert.equal((await staff.post('/webhooks', { url: 'http://127.0.0.1:9/x', event_types: ['*'] })).body.error, 'SUPERUSER_REQUIRED');
  assert.equal((await staff.get('/webhooks')).body.error, 'SUPERUSER_REQUIRED');
  assert.equal((await root.post('/webhooks', { url: 'file:///etc/passwd', event_types: ['*'] })).body.error, 'WEBHOOK_URL_REFUSED');
  assert.equal((await root.post('/webhooks', { url: 'http://user:pw@127.0.0.1/x', event_types: ['*'] })).body.error, 'WEBHOOK_URL_REFUSED');
  const unknown = await root.post('/webhooks', { url: 'http://127.0.0.1:9/x', event_types: ['user.nope'] });
  assert.deepEqual([unknown.status, unknown.body.error, unknown.body.details.unknown], [400, 'WEBHOOK_EVENT_TYPE_UNKNOWN', ['user.nope']]);
  assert.equal((await root.post('/webhooks', { url: 'http://127.0.0.1:9/x', event_types: ['*'], secret: 'whsec_c2hvcnQ=' })).body.error, 'VALIDATION_FAILED');
  assert.equal((await root.get('/webhooks/999999')).body.error, 'WEBHOOK_NOT_FOUND');
});
