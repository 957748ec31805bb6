// #20: brute-force limits hold for the deployment, not for one process. Two real server processes
// (two nodes) on one PostgreSQL database: 30 wrong passwords for one account, alternating between
// the nodes or all sent at once, are checked exactly DJAM_LOGIN_RATE_LIMIT times. What was
// checked is read where an operator reads it: the audit log's auth.sign-in-failed entries (a
// refused attempt checks nothing and is not audited), besides each answer's status.
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { test } from 'node:test';
import { startTwoNodes } from '../helpers/server-process.ts';
import { testDatabaseUrl } from '../helpers/test-database.ts';

const skip = testDatabaseUrl ? false : 'two nodes share PostgreSQL (run with DJAM_TEST_DATABASE_URL): the embedded database belongs to one process';
const LIMIT = 5;
const ATTEMPTS = 30;

const basic = (email: string, password: string) => `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;

test('#20 two nodes on one database share the brute-force limits', { skip }, async (t) => {
  const { a, b, make, database } = await startTwoNodes(t, {
    DJAM_LOGIN_RATE_LIMIT: String(LIMIT), DJAM_LOGIN_DELAY_AFTER: '0', DJAM_KEY_CHECK_RATE_LIMIT: '1000', DJAM_TRUST_PROXY: 'loopback',
  });
  const nodes = [a.url, b.url];
  /** A staff-only DJAM door taking HTTP Basic, from client `ip`. */
  const knock = (node: string, email: string, password: string, ip: string) =>
    fetch(`${node}/public_api/users/`, { headers: { authorization: basic(email, password), 'x-forwarded-for': ip } });
  const checked = async (email: string) => {
    const result = await database.db.execute(sql`select count(*)::int as n from audit_log where action = 'auth.sign-in-failed' and actor_label = ${email}`);
    return Number((result as unknown as { rows: Array<{ n: number }> }).rows[0].n);
  };

  await t.test(`${ATTEMPTS} wrong passwords alternating between the nodes: ${LIMIT} checked`, async () => {
    const user = await make.user({ isStaff: true });
    const statuses: number[] = [];
    for (let i = 0; i < ATTEMPTS; i++) statuses.push((await knock(nodes[i % 2], user.email, `wrong-${i}`, '192.0.2.10')).status);
    assert.deepEqual(statuses, [...Array(LIMIT).fill(403), ...Array(ATTEMPTS - LIMIT).fill(429)], statuses.join(','));
    assert.equal(await checked(user.email), LIMIT);
    t.diagnostic(`alternating: ${await checked(user.email)} of ${ATTEMPTS} wrong passwords checked over two nodes (limit ${LIMIT})`);
    for (const node of nodes) assert.equal((await knock(node, user.email, user.password, '192.0.2.10')).status, 429, 'the right password is refused on both nodes');
    assert.equal((await knock(b.url, user.email, user.password, '192.0.2.11')).status, 200, 'from another IP the owner gets in');
  });

  await t.test(`${ATTEMPTS} wrong passwords sent at once to both nodes: ${LIMIT} checked`, async () => {
    const user = await make.user({ isStaff: true });
    const answers = await Promise.all(Array.from({ length: ATTEMPTS }, (_, i) => knock(nodes[i % 2], user.email, `wrong-${i}`, '192.0.2.20')));
    const statuses = answers.map((res) => res.status);
    assert.equal(statuses.filter((s) => s === 403).length, LIMIT, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 429).length, ATTEMPTS - LIMIT, statuses.join(','));
    assert.ok(answers.filter((res) => res.status === 429).every((res) => Number(res.headers.get('retry-after')) > 0), 'each refusal says when to retry');
    assert.equal(await checked(user.email), LIMIT);
    t.diagnostic(`concurrent: ${await checked(user.email)} of ${ATTEMPTS} wrong passwords checked over two nodes (limit ${LIMIT})`);
  });

  await t.test('a lock-out made through node A is lifted through node B by an administrator', async () => {
    // A plain user (staff may lift only theirs), at the credentials introspection: 401 wrong, 200 right.
    const user = await make.user();
    const b64 = (v: string) => Buffer.from(v).toString('base64');
    const introspect = (node: string, password: string) =>
      fetch(`${node}/openid/credentials/introspect/?u=${b64(user.email)}&p=${b64(password)}`, { headers: { 'x-forwarded-for': '192.0.2.30' } });
    for (let i = 0; i < LIMIT; i++) assert.equal((await introspect(a.url, `wrong-${i}`)).status, 401);
    assert.equal((await introspect(b.url, user.password)).status, 429);
    await make.client({ clientId: `robot-${user.id}`, clientSecret: 'robot-secret', grantType: 'client_credentials', redirectUris: [], scope: 'admin' });
    const tokenRes = await fetch(`${a.url}/openid/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`robot-${user.id}:robot-secret`).toString('base64')}` },
      body: 'grant_type=client_credentials&scope=admin',
    });
    const { access_token: token } = await tokenRes.json() as { access_token: string };
    const detail = await fetch(`${b.url}/api/admin/users/${user.id}`, { headers: { authorization: `Bearer ${token}` } });
    assert.ok(((await detail.json()) as { locked_until: string | null }).locked_until, 'node B shows the lock node A made');
    const unlock = await fetch(`${b.url}/api/admin/users/${user.id}/unlock`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    assert.equal(unlock.status, 200);
    assert.equal((await introspect(a.url, user.password)).status, 200, 'node A lets the owner in');
  });
});
