// #20 the console's user page in a real browser (Chromium, the built SPA): an account locked out
// by wrong passwords shows "Locked until …" with an Unlock button; unlocking (confirmed) lifts it,
// and the owner's right password works again at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openConsoleAs } from '../helpers/console-browser.ts';
import { startTestServer } from '../helpers/start-server.ts';

const LIMIT = 3;

test('#20 the user page shows a lock-out with its end and lifts it with Unlock', async (t) => {
  const server = await startTestServer(t, { DJAM_PROJECT_ENVIRONMENT: 'test', DJAM_LOGIN_RATE_LIMIT: String(LIMIT), DJAM_LOGIN_DELAY_AFTER: '0' });
  const ada = await server.make.user({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', isStaff: true, isSuperuser: true });
  const bob = await server.make.user({ email: 'bob@example.com', firstName: 'Bob', lastName: 'Locked' });
  const b64 = (v: string) => Buffer.from(v).toString('base64');
  const introspect = (password: string) => fetch(`${server.url}/openid/credentials/introspect/?u=${b64(bob.email)}&p=${b64(password)}`);
  for (let i = 0; i < LIMIT; i++) assert.equal((await introspect(`wrong-${i}`)).status, 401);
  assert.equal((await introspect(bob.password)).status, 429, 'locked out');

  const { page, problems } = await openConsoleAs(t, server.url, ada);
  await page.goto(`${server.url}/admin/#/users/${bob.id}`);
  await page.getByText(/^Locked until .+ after repeated wrong passwords/).waitFor();
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('dialog').getByRole('button', { name: /Confirm|Unlock/ }).last().click();
  await page.getByText('Lock-out lifted.').waitFor();
  await page.getByText(/^Locked until /).waitFor({ state: 'detached' });
  assert.equal(await page.getByRole('button', { name: 'Unlock' }).count(), 0, 'no Unlock button once unlocked');
  assert.equal((await introspect(bob.password)).status, 200, 'the owner gets in again');
  assert.deepEqual(problems, []);
});
