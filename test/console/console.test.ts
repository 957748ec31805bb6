// The admin console in a real browser (Chromium, the built SPA served by the server, no test hooks):
// an administrator signs in through the server's login page, creates a team, a user in it, a
// confidential client and a resource key; then the client gets a token with its secret and the key
// passes GeoServer's introspection with the team in `groups`. Screenshots go to test-output/console/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { test } from 'node:test';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { basicAuth } from '../helpers/cookie-jar.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const DIST_INDEX = new URL('../../console/dist/index.html', import.meta.url);
const SHOTS = 'test-output/console';

/** The page's globals, typed here because the tests compile without the DOM library (the cast is
 * erased before the function goes to the page). Functions, not strings: the console's
 * Content-Security-Policy forbids eval. */
interface PageGlobals {
  window: { scrollTo(x: number, y: number): void; innerWidth: number };
  document: { getAnimations(): Array<{ playState: string }>; documentElement: { scrollHeight: number; scrollWidth: number } };
}

/** A screenshot of the whole page once transitions have settled; the viewport grows to the page's
 * height instead of a full-page capture, which would scroll the app bar away. */
async function shot(page: Page, name: string): Promise<void> {
  // At the top, where react-admin shows the app bar again (it hides while scrolling down).
  await page.evaluate(() => (globalThis as unknown as PageGlobals).window.scrollTo(0, 0));
  await page.waitForTimeout(50);
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getAnimations().every((a) => a.playState !== 'running'));
  const viewport = page.viewportSize()!;
  const height = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollHeight);
  if (height > viewport.height) await page.setViewportSize({ width: viewport.width, height });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
  await page.setViewportSize(viewport);
}

/** A page that fails the test on any script error or failed API call. */
async function openPage(browser: Browser, server: TestServer, problems: string[], viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (res) => {
    if (res.url().startsWith(`${server.url}/api/admin/`) && res.status() >= 400) problems.push(`${res.request().method()} ${res.url()} → ${res.status()}`);
  });
  return page;
}

async function signIn(page: Page, server: TestServer, email: string, password: string): Promise<void> {
  await page.goto(`${server.url}/admin/`);
  await page.waitForURL(`${server.url}/accounts/login/?next=${encodeURIComponent('/admin/')}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(/\/admin\/(#\/)?$/);
}

/** Waits until the input shows `value` (a reference input fills in once its record has loaded). */
async function waitForValue(input: Locator, value: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = await input.inputValue();
  while (seen !== value && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    seen = await input.inputValue();
  }
  assert.equal(seen, value);
}

/** Picks `option` in the MUI select labelled `label`. */
async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option }).click();
}

async function menu(page: Page, name: string): Promise<void> {
  await page.getByRole('menu').getByRole('menuitem', { name, exact: true }).click();
}

/** Reads and closes the one-time secret dialog. */
async function readSecret(page: Page, title: string): Promise<{ value: string; dialog: ReturnType<Page['getByRole']> }> {
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.waitFor();
  await dialog.getByText('it will not be shown again').waitFor();
  return { value: await dialog.getByTestId('one-time-secret').inputValue(), dialog };
}

test('an administrator builds a team, a user, a client and a key in the console, and they work', async (t) => {
  assert.ok(existsSync(DIST_INDEX), 'console/dist/index.html is missing: run `npm run build` first (it builds the console).');
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  const server = await startTestServer(t, { DJAM_PROJECT_ENVIRONMENT: 'test' });
  const ada = await server.make.user({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', isStaff: true, isSuperuser: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  t.after(() => browser.close());
  const problems: string[] = [];
  const page = await openPage(browser, server, problems);
  // The steps build on each other: after a failure the rest are skipped, and a screenshot shows where it stopped.
  let failed = false;
  const step = (name: string, fn: () => Promise<void>) => t.test(name, { skip: failed && 'an earlier step failed' }, async () => {
    try {
      await fn();
    } catch (err) {
      failed = true;
      await shot(page, `failure-${name.replace(/\W+/g, '-')}`).catch(() => undefined);
      throw err;
    }
  });

  await step('signs in through the server login page and lands on the dashboard', async () => {
    await signIn(page, server, ada.email, ada.password);
    await page.getByRole('banner').getByText('Ada Lovelace').waitFor();
    assert.equal(await page.getByTestId('stat-users').innerText(), '1');
    assert.equal(await page.getByTestId('stat-clients').innerText(), '0');
    await page.getByText('Sign-ins in the last day').waitFor();
    await shot(page, 'dashboard');
  });

  await step('creates a team', async () => {
    await menu(page, 'Teams');
    await page.getByRole('link', { name: 'Create' }).click();
    await page.getByLabel('Name').fill('Cartographers');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/admin\/#\/teams\/\d+$/);
    await page.getByRole('heading', { name: 'Members' }).waitFor();
  });

  let userId = 0;
  await step('creates a user and puts them in the team', async () => {
    await menu(page, 'Users');
    await page.getByRole('link', { name: 'Create' }).click();
    await page.getByRole('textbox', { name: /^E-mail/ }).fill('not an address');
    await page.getByLabel('First name').fill('Gerardus');
    await page.getByLabel('Last name').fill('Mercator');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Must be a valid email').waitFor();
    await page.getByRole('textbox', { name: /^E-mail/ }).fill('gerardus@example.com');
    await page.getByLabel('Password', { exact: true }).fill('k7#Qz');
    await page.getByRole('button', { name: 'Save' }).click();
    // The API's password rules, shown under the field.
    await page.getByText('This password is too short. It must contain at least 8 characters.', { exact: true }).waitFor();
    assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid'), 'true');
    await page.getByLabel('Password', { exact: true }).fill('rhumb-line-projection-1569');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/admin\/#\/users\/\d+$/);
    userId = Number(/\/users\/(\d+)$/.exec(page.url())![1]);
    await page.getByRole('combobox', { name: 'Add to team' }).fill('Carto');
    await page.getByRole('option', { name: 'Cartographers' }).click();
    await page.getByRole('button', { name: 'Add to team' }).click();
    await page.getByTestId('user-teams').getByText('Cartographers').waitFor();
    await shot(page, 'user-edit');
    await menu(page, 'Users');
    await page.getByText('gerardus@example.com').waitFor();
    await shot(page, 'users-list');
  });

  let client = { id: '', secret: '' };
  await step('creates a confidential client-credentials client and reads its secret once', async () => {
    await menu(page, 'Clients');
    await page.getByRole('link', { name: 'Create' }).click();
    await page.getByLabel('Name').fill('Tile robot');
    await choose(page, 'Grant type', 'Client credentials');
    await page.getByRole('button', { name: 'Save' }).click();
    const { value, dialog } = await readSecret(page, 'Client created');
    client = { id: await dialog.getByTestId('one-time-client-id').innerText(), secret: value };
    assert.ok(client.secret.length >= 40);
    await shot(page, 'client-created-dialog');
    await dialog.getByRole('button', { name: 'I have saved it' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForURL(/\/admin\/#\/clients\/\d+$/);
  });

  let key = '';
  await step('issues a resource key to the user from their page and reads it once', async () => {
    await page.goto(`${server.url}/admin/#/users/${userId}`);
    await page.getByRole('link', { name: 'Issue API key' }).click();
    await waitForValue(page.getByRole('combobox', { name: 'Owner' }), 'gerardus@example.com');
    await page.getByRole('button', { name: 'Save' }).click();
    const { value, dialog } = await readSecret(page, 'API key created');
    key = value;
    assert.match(key, /^[0-9a-f-]{36}$/);
    await dialog.getByRole('button', { name: 'I have saved it' }).click();
    await page.waitForURL(/\/admin\/#\/api-keys$/);
    await page.getByText(`${key.slice(0, 8)}…`).waitFor();
    await shot(page, 'api-keys-list');
  });

  await step('shows the changes in the audit log', async () => {
    await menu(page, 'Audit log');
    await page.getByRole('cell', { name: 'api-key.create' }).waitFor();
    await page.getByRole('cell', { name: 'user.team.add' }).click();
    await page.getByText('"team": "Cartographers"').waitFor();
    await shot(page, 'audit-log');
    await menu(page, 'Configuration');
    await page.getByRole('rowheader', { name: 'DJAM_SECRET_KEY' }).waitFor();
  });

  await step('the client gets a token with the secret from the dialog', async () => {
    const res = await fetch(`${server.url}/openid/token`, {
      method: 'POST',
      headers: { authorization: basicAuth(client.id, client.secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    const body = await res.json() as { access_token?: string; token_type?: string };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.ok(body.access_token);
  });

  await step('the key passes GeoServer introspection with the team in groups', async () => {
    const res = await fetch(`${server.url}/openid/authkey/introspect/?authkey=${encodeURIComponent(key)}`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { username: 'gerardus@example.com', groups: ['Cartographers'] });
  });

  await step('reads well on a phone', async () => {
    const phone = await openPage(browser, server, problems, { width: 390, height: 844 });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(`${server.url}/admin/#/users`);
    await phone.getByText('gerardus@example.com').waitFor();
    const overflow = await phone.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth - (globalThis as unknown as PageGlobals).window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    await shot(phone, 'phone-users-list');
  });

  await step('plain staff see neither signing keys nor configuration', async () => {
    const grace = await server.make.user({ email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', isStaff: true });
    const staffPage = await openPage(browser, server, problems);
    await signIn(staffPage, server, grace.email, grace.password);
    await staffPage.getByRole('banner').getByText('Grace Hopper').waitFor();
    const nav = staffPage.getByRole('menu');
    await nav.getByRole('menuitem', { name: 'Audit log' }).waitFor();
    assert.equal(await nav.getByRole('menuitem', { name: 'Signing keys' }).count(), 0);
    assert.equal(await nav.getByRole('menuitem', { name: 'Configuration' }).count(), 0);
    await menu(staffPage, 'API keys');
    await staffPage.getByText(`${key.slice(0, 8)}…`).waitFor();
  });

  await step('a signed-in person who is not staff is told so', async () => {
    const plain = await server.make.user({ email: 'plain@example.com' });
    const plainPage = await openPage(browser, server, []);
    await signIn(plainPage, server, plain.email, plain.password);
    await plainPage.getByText('Only staff members may use the admin API.').waitFor();
    await plainPage.getByRole('link', { name: 'Sign out' }).waitFor();
  });

  await step('works from the keyboard: Tab reaches the menu, Enter opens it', async () => {
    await page.goto(`${server.url}/admin/#/`);
    await page.getByText(/^Welcome,/).waitFor();
    type Focus = { document: { activeElement: { textContent: string | null } | null } };
    const focusedText = () => page.evaluate(() => (globalThis as unknown as Focus).document.activeElement?.textContent?.trim() ?? '');
    let focused = '';
    for (let presses = 0; presses < 40 && focused !== 'Teams'; presses += 1) {
      await page.keyboard.press('Tab');
      focused = await focusedText();
    }
    assert.equal(focused, 'Teams', 'Tab reaches the Teams menu entry');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/teams/);
    await page.getByText('Cartographers').first().waitFor();
  });

  await step('signs out through the server', async () => {
    await page.getByRole('button', { name: 'Profile' }).click();
    await page.getByRole('menuitem', { name: 'Logout' }).click();
    await page.waitForURL(`${server.url}/accounts/login/`);
  });

  // The validation answers above (400s on purpose) are the only refusals expected.
  // Expected refusals: the session before signing in (401), the bad user form (400).
  const unexpected = problems.filter((p) => !/^GET .*\/api\/admin\/session → 401$/.test(p) && !/^POST .*\/api\/admin\/users → 400$/.test(p));
  assert.deepEqual(unexpected, []);
});
