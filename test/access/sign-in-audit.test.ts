// #17 redesign: the authentication service records sign-ins itself, whatever the door: a
// person's sign-in and every failure reach the audit log (before, only admin API changes did).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { startAdminFixture, type AdminFixture } from '../helpers/admin.fixture.ts';

let F: AdminFixture;
before(async (t) => { F = await startAdminFixture(t); });

test('sign-ins and failed sign-ins at the form and at a Basic door are in the audit log', async () => {
  const alice = await F.server.make.user({ email: 'alice@example.com' });
  await F.server.signIn(alice.email, alice.password);
  const wrong = await F.server.browser().submitForm('/accounts/login/', { username: alice.email, password: 'not it' });
  assert.equal(wrong.status, 200);
  const basic = await fetch(`${F.server.url}/public_api/users/`, { headers: { authorization: `Basic ${Buffer.from(`${alice.email}:guess`).toString('base64')}`, accept: 'application/json' } });
  assert.equal(basic.status, 403, await basic.text());

  const signedIn = await F.superuser.get('/audit-log?action=auth.signed-in&search=alice');
  assert.ok(signedIn.body.items.some((e: { actor_label: string; after: { door: string } }) => e.actor_label === alice.email && e.after.door === 'login-form'));
  const failed = (await F.superuser.get('/audit-log?action=auth.sign-in-failed')).body.items as Array<{ actor_label: string; after: Record<string, string> }>;
  const doors = failed.filter((e) => e.actor_label === alice.email).map((e) => `${e.after.door}:${e.after.reason}`).sort();
  assert.deepEqual(doors, ['basic:INVALID_CREDENTIALS', 'login-form:INVALID_CREDENTIALS']);
  assert.ok(failed.every((e) => !JSON.stringify(e).includes('not it') && !JSON.stringify(e).includes('guess')), 'no password in the log');
});
