// The admin console in headless Chromium, signed in through its own login form: the page, and the
// page errors seen so far (a test asserts there were none).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const DIST_INDEX = new URL('../../console/dist/index.html', import.meta.url);

export async function openConsoleAs(
  t: { after(fn: () => Promise<void>): void }, baseUrl: string, user: { email: string; password: string },
): Promise<{ page: Page; problems: string[] }> {
  assert.ok(existsSync(DIST_INDEX), 'console/dist/index.html is missing: run `npm run build` first (it builds the console).');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  t.after(() => browser.close());
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await page.goto(`${baseUrl}/admin/`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click(); // not 'Sign in with a passkey' (#22) or an upstream's (#23)
  await page.waitForURL(/\/admin\/(#\/)?$/);
  return { page, problems };
}
