// #20 the console's signing-keys page in a real browser (Chromium, the built SPA): a superuser
// sees each key's state and when it changes, rotates (the new key is "next", signing after the
// activation delay), then rotates in an emergency with "sign with it at once" (the new key is
// "active", the one before "retiring"); the JWKS publishes every key the page shows as published.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { openConsoleAs } from '../helpers/console-browser.ts';
import { startTestServer } from '../helpers/start-server.ts';

/** The State column of the table, top to bottom (latest activation first). */
const states = (page: Page) => page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => (r as unknown as { cells: Array<{ innerText: string }> }).cells[1].innerText.trim()));

test('#20 a superuser sees key states and rotates, with and without "sign with it at once"', async (t) => {
  const server = await startTestServer(t, { DJAM_PROJECT_ENVIRONMENT: 'test', DJAM_SIGNING_KEY_ACTIVATION_DELAY_SECONDS: '3600' });
  const ada = await server.make.user({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', isStaff: true, isSuperuser: true });
  const { page, problems } = await openConsoleAs(t, server.url, ada);
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
