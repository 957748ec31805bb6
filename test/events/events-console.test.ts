// #21 the console in Chromium: the dashboard's failed sign-ins tile; the Events page lists the
// events, filters them (type, search), and with "Live" a sign-in made meanwhile appears without a
// reload; a webhook registered on the Webhooks page shows its secret once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openConsoleAs } from '../helpers/console-browser.ts';
import { startTestServer } from '../helpers/start-server.ts';

test('#21 the Events page shows, filters and tails the event log', async (t) => {
  const server = await startTestServer(t);
  const root = await server.make.user({ email: 'root@example.com', isStaff: true, isSuperuser: true });
  const alice = await server.make.user({ email: 'alice@example.com' });
  await server.signIn(alice.email, alice.password);
  await server.browser().submitForm('/accounts/login/', { username: 'mallory@example.com', password: 'guess' });

  const { page, problems } = await openConsoleAs(t, server.url, root);
  assert.equal(await page.getByTestId('stat-failed-sign-ins').textContent(), '1', 'the dashboard tile: failed sign-ins of the last 24 h');
  assert.match(await page.getByRole('img', { name: /^Failed sign-ins per hour: / }).getAttribute('aria-label') ?? '', /(0, ){23}1$/);
  await page.getByRole('menuitem', { name: 'Events' }).click();
  const rows = page.getByTestId('event-row');
  await rows.filter({ hasText: 'mallory@example.com' }).waitFor();
  const types = async () => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
  assert.ok((await types()).includes('user.login'));

  await page.getByLabel('Type').fill('user.login_failed');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.locator('[data-testid="event-row"]:not([data-type="user.login_failed"])').first().waitFor({ state: 'detached' });
  assert.deepEqual(await types(), ['user.login_failed']);
  assert.match(page.url(), /#\/events\?type=user\.login_failed/);

  await page.getByLabel('Type').fill('');
  await page.getByLabel('Search subject or actor').fill('alice@');
  await page.getByRole('button', { name: 'Apply' }).click();
  await rows.filter({ hasText: 'mallory@example.com' }).first().waitFor({ state: 'detached' });
  assert.ok((await rows.count()) >= 1);

  await page.getByLabel('Live').check();
  await server.signIn(alice.email, alice.password);
  await page.locator('[data-testid="event-row"][data-type="user.login"]').nth(1).waitFor({ timeout: 10_000 });

  // Webhooks (superusers): an endpoint registered from the console shows its secret once.
  await page.getByRole('menuitem', { name: 'Webhooks' }).click();
  await page.getByLabel('URL').fill('https://93.184.216.34/djam');
  await page.getByLabel('Event types').fill('user.logout');
  await page.getByRole('button', { name: 'Add webhook' }).click();
  assert.match(await page.getByTestId('webhook-secret').textContent() ?? '', /^whsec_[A-Za-z0-9+/]+=*$/);
  await page.getByTestId('webhook').filter({ hasText: 'https://93.184.216.34/djam' }).waitFor();
  assert.deepEqual(problems, []);
});
