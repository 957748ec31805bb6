// #20 §3: a node that missed a change must not keep honouring the old state. Two server processes
// on one PostgreSQL database; node B's LISTEN connection (found by its application_name) is
// killed, and kept dead, while node A makes the change. B must refuse the old session, key or
// secret at once (not after its caches' lifetime), and say in /readyz and /metrics that it is
// serving without its change feed. And every way of changing things (the provider's hijacked
// replies, the CLI) answers only once every node has applied the change: a deliberately slow
// node, imitated here, must have acknowledged before the answer arrives.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { LISTENER_APPLICATION_NAME } from '../../src/db/client.ts';
import { CHANGE_CHANNEL } from '../../src/db/change-feed.ts';
import { basicAuth, Browser } from '../helpers/cookie-jar.ts';
import { cleanEnv, runCli } from '../helpers/cli-process.ts';
import { openSharedDatabase, startServerProcess, startTwoNodes, type ServerProcess } from '../helpers/server-process.ts';
import { testDatabaseUrl } from '../helpers/test-database.ts';
import { KEY_API } from '../api-keys/key-api.fixture.ts';

const skip = testDatabaseUrl ? false : 'two nodes share PostgreSQL (run with DJAM_TEST_DATABASE_URL): the embedded database belongs to one process';
const form = { 'content-type': 'application/x-www-form-urlencoded' };
type Nodes = Awaited<ReturnType<typeof startTwoNodes>>;

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const readyz = async (node: ServerProcess) => {
  const res = await fetch(`${node.url}/readyz`);
  return { status: res.status, body: await res.json() as { ready: boolean; status: string; checks: Record<string, string> } };
};
const feedGauge = async (node: ServerProcess) => /^djam_change_feed_up (\d)$/m.exec(await (await fetch(`${node.url}/metrics`)).text())?.[1];

/**
 * Kills `node`'s listening connection, and again every 100 ms (it reconnects after a second), until
 * `restore` — an adversary that also catches a reconnection in between. Resolves once the node
 * reports the loss.
 */
async function cutOff(nodes: Nodes, node: ServerProcess) {
  const kill = () => nodes.database.db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity
    where application_name = ${`${LISTENER_APPLICATION_NAME} ${node.pid}`}`).catch(() => undefined);
  await kill();
  const hold = setInterval(() => void kill(), 100);
  await waitFor('the node to report its feed lost', async () => (await readyz(node)).body.status === 'degraded');
  return {
    async restore() {
      clearInterval(hold);
      await waitFor('the node to report its feed back', async () => (await readyz(node)).body.status === 'ready');
    },
  };
}

/**
 * A node that takes `delayMs` to apply what it hears, imitated on a connection of the test: it
 * listens, is counted as the nodes are (the change feed's shared advisory lock), and acknowledges
 * each barrier only after the delay, recording the changes it has then applied.
 */
async function startSlowNode(nodes: Pick<Nodes, 'env'>, delayMs: number, as?: { user: string; password: string }) {
  const s = nodes.env;
  const client = new pg.Client({ host: s.DJAM_DB_HOST, port: Number(s.DJAM_DB_PORT), database: s.DJAM_DB_NAME, user: as?.user ?? s.DJAM_DB_USER, password: as?.password ?? s.DJAM_DB_PASSWORD });
  client.on('error', () => undefined); // the database is dropped under it at the end
  await client.connect();
  await client.query(`LISTEN "${CHANGE_CHANNEL}"`);
  await client.query('select pg_advisory_lock_shared(1684693357, 1)');
  const id = randomUUID();
  const heard: string[] = [];
  const applied: string[] = [];
  client.on('notification', (msg) => {
    const payload = msg.payload ?? '';
    if (payload.startsWith('barrier:')) {
      const upTo = heard.length;
      setTimeout(() => {
        applied.push(...heard.slice(applied.length, upTo));
        void client.query('select pg_notify($1, $2)', [CHANGE_CHANNEL, `ack:${payload.slice('barrier:'.length)}:${id}`]).catch(() => undefined);
      }, delayMs);
    } else if (!payload.startsWith('ack:')) heard.push(payload);
  });
  return { applied: () => [...applied], close: () => client.end() };
}

async function signedInOnAKnownToB(nodes: Nodes) {
  const user = await nodes.make.user();
  const browser = new Browser(nodes.a.url);
  assert.equal((await browser.submitForm('/accounts/login/', { username: user.email, password: user.password })).status, 302);
  const account = `${nodes.b.url}/user/account/${user.id}/`;
  assert.equal((await browser.get(account)).status, 200, 'node B knows (and now keeps) the session');
  assert.equal((await browser.get(account)).status, 200);
  const token = browser.cookie('djam_sessionid')!;
  const onB = () => fetch(account, { headers: { cookie: `djam_sessionid=${token}` }, redirect: 'manual' });
  return { user, browser, onB };
}

async function grant(node: string, auth: string, scope?: string): Promise<{ status: number; token?: string }> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
  const res = await fetch(`${node}/openid/token`, { method: 'POST', headers: { ...form, authorization: auth }, body });
  return { status: res.status, token: (await res.json() as { access_token?: string }).access_token };
}

const authkey = async (node: string, key: string) => fetch(`${node}/openid/authkey/introspect/?authkey=${key}`);

test('#20 a node whose change feed is down honours no old session, key or secret, and says so', { skip }, async (t) => {
  const nodes = await startTwoNodes(t);
  const { a, b, make } = nodes;

  await t.test('#20 /readyz and /metrics report the feed: ready and 1 while it is up', async () => {
    const { status, body } = await readyz(b);
    assert.equal(status, 200);
    assert.equal(body.status, 'ready');
    assert.equal(body.checks.changeFeed, 'ok');
    assert.equal(await feedGauge(b), '1');
  });

  await t.test('#20 a session signed out on A while B is cut off is refused by B at once', async () => {
    const { browser, onB } = await signedInOnAKnownToB(nodes);
    const cut = await cutOff(nodes, b);
    try {
      assert.equal((await browser.signOut()).status, 302);
      const stolen = await onB();
      assert.equal(stolen.status, 302, 'the old cookie no longer opens the account page on node B');
      assert.match(stolen.headers.get('location') ?? '', /\/accounts\/login\//);
      // Degraded, not unready: B answers correctly from the database (see ops/readiness.ts).
      const { status, body } = await readyz(b);
      assert.equal(status, 200);
      assert.equal(body.status, 'degraded');
      assert.match(body.checks.changeFeed, /^degraded/);
      assert.equal(await feedGauge(b), '0');
    } finally {
      await cut.restore();
    }
    assert.equal(await feedGauge(b), '1');
  });

  await t.test('#20 a key revoked on A while B is cut off is refused by B at once', async () => {
    const user = await make.user();
    const { key } = await make.apiKey(user.id, 'resource');
    const { key: management } = await make.apiKey(user.id, 'management');
    assert.equal((await authkey(b.url, key)).status, 200);
    assert.equal((await authkey(b.url, key)).status, 200, 'node B now holds the key in its cache');
    const cut = await cutOff(nodes, b);
    try {
      const revoke = await fetch(`${a.url}${KEY_API}revoke/`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${management}` },
        body: JSON.stringify({ resource_key: key, revoked: true }),
      });
      assert.equal(revoke.status, 200);
      assert.equal((await authkey(b.url, key)).status, 403);
    } finally {
      await cut.restore();
    }
    assert.equal((await authkey(b.url, key)).status, 403, 'and still after the feed is back');
  });

  await t.test('#20 a client secret rotated on A while B is cut off is refused by B at once', async () => {
    const { client, clientSecret } = await make.client({ grantType: 'client_credentials', redirectUris: [], scope: 'read' });
    const oldAuth = basicAuth(client.clientId, clientSecret!);
    assert.equal((await grant(b.url, oldAuth)).status, 200, 'node B now holds the client in its cache');
    await make.client({ clientId: `robot-${client.id}`, clientSecret: 'robot-secret', grantType: 'client_credentials', redirectUris: [], scope: 'admin' });
    const { token: adminToken } = await grant(a.url, basicAuth(`robot-${client.id}`, 'robot-secret'), 'admin');
    const cut = await cutOff(nodes, b);
    try {
      const rotated = await fetch(`${a.url}/api/admin/clients/${client.id}/secret`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
      assert.equal(rotated.status, 200);
      const { client_secret: newSecret } = await rotated.json() as { client_secret: string };
      assert.equal((await grant(b.url, oldAuth)).status, 401);
      assert.equal((await grant(b.url, basicAuth(client.clientId, newSecret))).status, 200);
    } finally {
      await cut.restore();
    }
    assert.equal((await grant(b.url, oldAuth)).status, 401);
  });
});

test('#20 provider replies and the CLI answer once every node has applied their changes', { skip }, async (t) => {
  const nodes = await startTwoNodes(t);
  const slow = await startSlowNode(nodes, 400);
  t.after(() => slow.close());

  await t.test('#20 an RP-initiated logout on A: the session is refused on B, and by the slow node, when A answers', async () => {
    const { browser, onB } = await signedInOnAKnownToB(nodes);
    const page = await (await browser.get('/openid/end-session')).text();
    const action = /<form[^>]*id="op.logoutForm"[^>]*action="([^"]+)"/.exec(page)?.[1] ?? /action="([^"]+end-session\/confirm)"/.exec(page)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1];
    assert.ok(action && xsrf, `an RP-initiated logout form: ${page.slice(0, 300)}`);
    const res = await browser.post(action!, { xsrf: xsrf!, logout: 'yes' });
    const appliedWhenAnswered = slow.applied();
    assert.ok(res.status < 400, `the logout answered ${res.status}`);
    assert.ok(appliedWhenAnswered.some((p) => p.startsWith('session:')), 'A answered before every node had dropped the session');
    assert.equal((await onB()).status, 302, 'node B refuses the old cookie at once');
  });

  await t.test('#20 a team made by the CLI is in force on every node when the CLI returns', async () => {
    const user = await nodes.make.user();
    const { key } = await nodes.make.apiKey(user.id, 'resource');
    const first = await (await authkey(nodes.b.url, key)).json() as { groups: string[] };
    assert.deepEqual(first.groups, [''], 'no team yet (and node B now holds the key)');
    const before = slow.applied().length;
    const team = `cli-team-${randomUUID().slice(0, 8)}`;
    const out = await runCli(['createteam', '--name', team, '--member', user.email],
      { ...cleanEnv(), ...nodes.env, DJAM_DATA_DIR: mkdtempSync(join(tmpdir(), 'djam-cli-')), DJAM_LOG_LEVEL: 'warn' });
    const appliedWhenReturned = slow.applied().slice(before);
    assert.equal(out.code, 0, out.stderr);
    assert.ok(appliedWhenReturned.some((p) => p.startsWith('privileges:')), 'the CLI returned before every node had applied its change');
    const groups = (await (await authkey(nodes.b.url, key)).json() as { groups: string[] }).groups;
    assert.ok(groups[0].split(',').includes(team), `node B names the new team: ${groups}`);
  });
});

test('#20 a node connecting as another database user is counted and waited for', { skip }, async (t) => {
  // Two roles that are no superusers: the nodes connect as one, the slow node as the other.
  // Neither sees the other's statements in pg_stat_activity, which counted the nodes before.
  const suffix = randomUUID().slice(0, 8);
  const [nodeRole, otherRole, password] = [`djam_node_${suffix}`, `djam_other_${suffix}`, randomUUID()];
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  for (const role of [nodeRole, otherRole]) {
    await admin.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER PASSWORD '${password}'`);
    await admin.query(`GRANT pg_read_all_data, pg_write_all_data TO ${role}`);
  }
  const shared = await openSharedDatabase();
  const nodes: ServerProcess[] = [];
  t.after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await shared.database.close();
    for (const role of [nodeRole, otherRole]) await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });
  // Start-up migrates: the node role may create in the database and its schemas.
  await shared.database.db.execute(sql.raw(`GRANT CREATE ON DATABASE ${shared.env.DJAM_DB_NAME} TO ${nodeRole};
    GRANT ALL ON SCHEMA public, drizzle TO ${nodeRole}`));
  const env = { ...shared.env, DJAM_DB_USER: nodeRole, DJAM_DB_PASSWORD: password };
  nodes.push(await startServerProcess(env));
  const slow = await startSlowNode(shared, 400, { user: otherRole, password });
  t.after(() => slow.close());
  const a = nodes[0];

  const user = await shared.make.user();
  const { key } = await shared.make.apiKey(user.id, 'resource');
  const { key: management } = await shared.make.apiKey(user.id, 'management');
  const revoke = await fetch(`${a.url}${KEY_API}revoke/`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${management}` },
    body: JSON.stringify({ resource_key: key, revoked: true }),
  });
  const appliedWhenAnswered = slow.applied();
  assert.equal(revoke.status, 200);
  assert.ok(appliedWhenAnswered.some((p) => p.startsWith('api-key:')), 'A answered before the node of the other database user had applied the revocation');
});
