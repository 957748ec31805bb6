// #22 passkeys in Chromium (playwright-core) with a CDP virtual authenticator: add one from the
// Security page, sign in with it alone (first factor), use it as the second step after the
// password, rename and remove it. The server's SITEURL is http://localhost:<port>: WebAuthn
// refuses an IP address as relying party id.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mfaFactors, sessions } from '../../src/db/schema.ts';
import { afterOf, startTestServer, type TestServer } from '../helpers/start-server.ts';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--host-resolver-rules=MAP localhost 127.0.0.1'];
const SCREENSHOT = process.env.DJAM_MFA_SCREENSHOT; // e.g. docs/mfa-security-page.png

let server: TestServer;
let context: BrowserContext;
let page: Page;
before(async (t) => {
  server = await startTestServer(t, {}, { siteHost: 'localhost' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  afterOf(t)(() => browser.close());
  context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
});

async function passwordSignIn(user: { email: string; password: string }) {
  await page.goto(`${server.url}/accounts/login/`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

const pathIs = (path: RegExp) => (url: URL) => path.test(url.pathname);
const methodsOf = async (userId: number) => (await server.database.db.select({ amr: sessions.amr }).from(sessions).where(eq(sessions.userId, userId))).map((s) => s.amr);

test('#22 a passkey: added from the Security page, then the first factor alone, then the second step; renamed and removed', async () => {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(err.message));
  const user = await server.make.user();
  await passwordSignIn(user);
  await page.waitForURL(/\/user\/account\//);

  await page.goto(`${server.url}/accounts/security/`);
  await page.getByLabel('Passkey name').fill('Laptop');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.waitForURL(/\/accounts\/security\/recovery-codes\//);
  assert.equal(await page.locator('#recovery-codes code').count(), 10, 'the first factor brings ten recovery codes');
  if (SCREENSHOT) {
    await page.goto(`${server.url}/accounts/security/`);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  }
  const [factor] = await server.database.db.select().from(mfaFactors).where(eq(mfaFactors.userId, user.id));
  assert.equal(factor.kind, 'passkey');
  assert.equal(factor.name, 'Laptop');

  // First factor: no password.
  await context.clearCookies();
  await page.goto(`${server.url}/accounts/login/?next=/accounts/security/`);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await page.waitForURL((url) => url.pathname === '/accounts/security/');
  assert.match((await methodsOf(user.id)).map((m) => m.join(' ')).join(','), /(^|,)(hwk|swk)(,|$)/, 'a passkey alone: amr ["hwk"] or ["swk"]');

  // Second step after the password.
  await context.clearCookies();
  await passwordSignIn(user);
  await page.waitForURL(pathIs(/^\/accounts\/login\/verify\/$/));
  await page.getByRole('button', { name: 'Use a passkey' }).click();
  await page.waitForURL(pathIs(/^\/user\/account\//));
  assert.ok((await methodsOf(user.id)).some((m) => m.join(' ') === 'pwd hwk mfa' || m.join(' ') === 'pwd swk mfa'), 'password + passkey: amr pwd, hwk|swk, mfa');

  await page.goto(`${server.url}/accounts/security/`);
  await page.getByLabel('New name of Passkey “Laptop”').fill('Work laptop');
  await page.getByRole('button', { name: 'Rename' }).click();
  await page.locator('li[data-factor="passkey"] strong', { hasText: 'Passkey “Work laptop”' }).waitFor();
  await page.getByRole('button', { name: 'Remove Passkey “Work laptop”' }).click();
  await page.getByText('You sign in with your password only').waitFor();
  assert.equal((await server.database.db.select().from(mfaFactors).where(eq(mfaFactors.userId, user.id))).length, 0);
  assert.deepEqual(problems, []);
});
