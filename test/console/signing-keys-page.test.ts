// #20 the console's signing-keys page in a real browser (Chromium, the built SPA): a superuser
// sees each key's state and when it changes, rotates (the new key is "next", signing after the
// activation delay), then rotates in an emergency with "sign with it at once" (the new key is
// "active", the one before "retiring"); the JWKS publishes every key the page shows as published.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { chromium, type Page } from 'playwright-core';
import { startTestServer } from '../helpers/start-server.ts';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const DIST_INDEX = new URL('../../console/dist/index.html', import.meta.url);

/** The State column of the table, top to bottom (latest activation first). */
const states = (page: Page) => page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => (r as unknown as { cells: Array<{ innerText: string }> }).cells[1].innerText.trim()));

test('#20 a superuser sees key states and rotates, with and without "sign with it at once"', async (t) => {
  assert.ok(existsSync(DIST_INDEX), 'console/dist/index.html is missing: run `npm run build` first (it builds the console).');
  const server = await startTestServer(t, { DJAM_PROJECT_ENVIRONMENT: 'test', DJAM_SIGNING_KEY_ACTIVATION_DELAY_SECONDS: '3600' });
  const ada = await server.make.user({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', isStaff: true, isSuperuser: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  t.after(() => browser.close());
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));

  await page.goto(`${server.url}/admin/`);
  await page.getByLabel('Email').fill(ada.email);
  await page.getByLabel('Password').fill(ada.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/admin\/(#\/)?$/);
  await page.goto(`${server.url}/admin/#/signing-keys`);
  await page.getByRole('columnheader', { name: 'State' }).waitFor();
  await page.getByText('signs until a newer key activates').waitFor();
  assert.deepEqual(await states(page), ['active']);

  const rotate = async (atOnce: boolean) => {
    await page.getByRole('button', { name: 'Rotate signing key' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('starts signing after the activation delay').waitFor();
    if (atOnce) await dialog.getByRole('checkbox', { name: /Sign with it at once/ }).check();
    await dialog.getByRole('button', { name: 'Rotate' }).click();
    await dialog.waitFor({ state: 'detached' });
  };

  await rotate(false);
  await page.getByText(/is published; it signs from/).waitFor();
  await page.getByText(/^signs from /).waitFor();
  assert.deepEqual(await states(page), ['next', 'active']);

  await rotate(true);
  await page.getByText(/signs from now on/).waitFor();
  await page.getByText(/^leaves the JWKS at /).waitFor();
  // The emergency key signs now; the pending one still signs from its own time, after it.
  assert.deepEqual(await states(page), ['next', 'active', 'retiring']);
  const jwks = await (await fetch(`${server.url}/openid/jwks`)).json() as { keys: unknown[] };
  assert.equal(jwks.keys.length, 3, 'every key the page shows as published is in the JWKS');
  assert.deepEqual(problems, []);
});
