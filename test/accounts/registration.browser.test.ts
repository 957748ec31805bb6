// A person signs up in a real browser (Chromium, no test hooks in the page): the form, the
// activation link from the e-mail that really arrived over SMTP, the sign-in, the account page.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { linkIn, startServerWithMailbox } from '../helpers/mailbox.ts';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

test('a person registers, confirms the address from the e-mail, signs in and sees their account', async (t) => {
  const { server, mailbox } = await startServerWithMailbox(t, {
    DJAM_PROJECT_ENVIRONMENT: 'test', DJAM_SHOW_API_KEYS_IN_DASHBOARD: 'true', DJAM_SHOW_UPSTREAM_SERVICES_IN_DASHBOARD: 'true',
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  t.after(() => browser.close());
  const page = await browser.newPage();
  const email = `grace.${randomBytes(3).toString('hex')}@example.com`;
  const password = 'orchid-tramline-voyage';

  await page.goto(`${server.url}/accounts/login/`);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.waitForURL(`${server.url}/user/register/`);
  await page.getByLabel('First name').fill('Grace');
  await page.getByLabel('Last name').fill('Hopper');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Password confirmation').fill('a different one');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByText('The two password fields didn’t match.').waitFor();
  assert.equal(await page.getByLabel('Password confirmation').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('First name').inputValue(), 'Grace', 'the form kept what was typed');
  mkdirSync('test-output', { recursive: true });
  await page.screenshot({ path: 'test-output/registration-form-error.png', fullPage: true });

  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Password confirmation').fill(password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(`${server.url}/user/activation_msg_sent/`);
  await page.getByText('We have sent an e-mail to the address you entered').waitFor();

  const mail = await mailbox.next(email);
  const link = linkIn(mail.text, `${server.url}/user/`);
  await page.goto(link);
  await page.getByText('Congrats! You have successfully activated your account').waitFor();

  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(/\/user\/account\/edit\/\d+\/$/);
  assert.equal(await page.getByLabel('First name').inputValue(), 'Grace');
  assert.equal(await page.getByLabel('Email', { exact: true }).inputValue(), email);
  await page.getByRole('heading', { name: 'Your account' }).waitFor();
  await page.getByText('There aren\'t API Key configured.').waitFor();
  await page.getByRole('button', { name: 'Create a new API key' }).click();
  await page.getByText('A new API key was created.').waitFor();
  assert.match(await page.locator('ul.keys code').first().innerText(), /^[0-9a-f-]{36}$/);

  await page.setViewportSize({ width: 1100, height: 900 });
  await page.screenshot({ path: 'test-output/registration-account-page.png', fullPage: true });
});
