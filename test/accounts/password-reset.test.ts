// Password reset by e-mailed link (docs/compatibility.md §6.7, §6.8) through the real server and SMTP: the same
// answer for known and unknown addresses, the one-time link, the new password, the notice.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { encodeUid, makeResetToken, RESET_TOKEN_TTL_SECONDS } from '../../src/accounts/password-reset-token.ts';
import { findUserByEmail } from '../../src/users/index.ts';
import type { Browser } from '../helpers/cookie-jar.ts';
import { linkIn, startServerWithMailbox, type Mailbox } from '../helpers/mailbox.ts';
import { fieldError, pageText } from '../helpers/page-text.ts';
import type { TestServer } from '../helpers/start-server.ts';

const INVALID_LINK = 'The password reset link was invalid, possibly because it has already been used.';
const NEW_PASSWORD = 'amber-quay-whistle-42';

let server: TestServer;
let mailbox: Mailbox;
let site: string;
before(async (t) => {
  ({ server, mailbox } = await startServerWithMailbox(t, { DJAM_PROJECT_ENVIRONMENT: 'test' }));
  site = new URL(server.url).host;
});

describe('password reset', () => {
  async function requestLink(browser: Browser, email: string): Promise<string> {
    const res = await browser.submitForm('/accounts/password_reset/', { email });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/accounts/password_reset/done/');
    const mail = await mailbox.next(email);
    assert.equal(mail.subject, `Password reset on ${site}`);
    const link = linkIn(mail.text, `${server.url}/accounts/reset/`);
    assert.ok(mail.html.includes(`href="${link}"`) && mail.html.includes('Reset password'), 'the HTML has the button');
    return link;
  }

  /** Opens the link: 302 to …/set-password/, which shows the form. */
  async function openLink(browser: Browser, link: string): Promise<string> {
    const res = await browser.get(link);
    assert.equal(res.status, 302, pageText(await res.text()));
    const target = res.headers.get('location')!;
    assert.match(target, /^\/accounts\/reset\/[A-Za-z0-9_-]+\/set-password\/$/);
    return target;
  }

  it('the same answer for a known and an unknown address; only the known one gets mail', async () => {
    const user = await server.make.user();
    const unknown = `nobody-${randomBytes(3).toString('hex')}@example.com`;
    const browser = server.browser();
    const form = await (await browser.get('/accounts/password_reset/')).text();
    assert.match(form, /<label for="id_email">/);
    const answers = [];
    for (const email of [user.email, unknown]) {
      const res = await browser.submitForm('/accounts/password_reset/', { email });
      answers.push([res.status, res.headers.get('location'), await res.text()]);
    }
    assert.deepEqual(answers[0], answers[1]);
    assert.equal(answers[0][0], 302);
    const done = await browser.get('/accounts/password_reset/done/');
    assert.ok(pageText(await done.text()).includes('We’ve emailed you instructions for setting your password, if an account exists with the email you entered.'));
    const mail = await mailbox.next(user.email);
    assert.ok(mail.text.includes(user.username), 'the mail reminds the username');
    await mailbox.expectNone(unknown, 300);
  });

  it('the link sets a new password once: the old one stops working, other sessions end, a notice is sent', async () => {
    const user = await server.make.user({ firstName: 'Grace', lastName: 'Hopper' });
    const elsewhere = await server.signIn(user.email, user.password);
    const browser = server.browser();
    const link = await requestLink(browser, user.email);
    const setPassword = await openLink(browser, link);
    const page = await (await browser.get(setPassword)).text();
    assert.match(page, /name="new_password1"/);
    assert.match(page, /name="new_password2"/);
    assert.ok(!page.includes(new URL(link).pathname.split('/')[4]), 'the token is not in the page');

    const res = await browser.submitForm(setPassword, { new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/accounts/reset/done/');
    const done = await (await browser.get('/accounts/reset/done/')).text();
    assert.ok(pageText(done).includes('Your password has been set. You may go ahead and log in now.'));
    assert.match(done, /name="username"/, 'with the login form');

    const notice = await mailbox.next(user.email);
    assert.equal(notice.subject, `Password change on ${site}`);
    assert.match(notice.text, /Dear Grace Hopper,/);

    const old = await server.browser().submitForm('/accounts/login/', { username: user.email, password: user.password });
    assert.equal(old.status, 200, 'the old password no longer works');
    const fresh = await server.browser().submitForm('/accounts/login/', { username: user.email, password: NEW_PASSWORD });
    assert.equal(fresh.status, 302, 'the new one does');
    const stale = await elsewhere.get('/user/account/');
    assert.equal(stale.status, 302, 'sessions signed in with the old password ended');

    const reuse = await server.browser().get(link);
    assert.equal(reuse.status, 200);
    assert.ok(pageText(await reuse.text()).includes(INVALID_LINK), 'the link worked once');
    const reuseForm = await browser.get(setPassword);
    assert.ok(pageText(await reuseForm.text()).includes(INVALID_LINK));
  });

  it('a sign-in after the e-mail was sent voids the link', async () => {
    const user = await server.make.user();
    const link = await requestLink(server.browser(), user.email);
    await new Promise((r) => setTimeout(r, 1100)); // last_login has second precision in the token
    await server.signIn(user.email, user.password);
    const res = await server.browser().get(link);
    assert.ok(pageText(await res.text()).includes(INVALID_LINK));
  });

  it('bad, tampered and expired links show the invalid-link page', async () => {
    const user = await server.make.user();
    const link = await requestLink(server.browser(), user.email);
    const [, , , uid, token] = new URL(link).pathname.split('/');
    const stored = await findUserByEmail({ db: server.database.db }, user.email);
    // An expired token cannot be had over HTTP in a test's time: make one dated 3 days ago.
    const expired = makeResetToken(server.keys, stored!, 'self', Math.floor(Date.now() / 1000) - RESET_TOKEN_TTL_SECONDS - 5);
    const paths = [
      `/accounts/reset/${uid}/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}/`,
      `/accounts/reset/${encodeUid(stored!.id + 1000)}/${token}/`,
      `/accounts/reset/!!/${token}/`,
      `/accounts/reset/${uid}/not-a-token/`,
      `/accounts/reset/${uid}/${expired}/`,
      `/accounts/reset/${uid}/set-password/`,
      `/accounts/reset/${'A'.repeat(90)}/${token}/`,
    ];
    for (const path of paths) {
      const res = await server.browser().get(path);
      assert.equal(res.status, 200, path.slice(0, 60));
      const page = await res.text();
      assert.ok(pageText(page).includes(INVALID_LINK), path.slice(0, 60));
      assert.match(page, /href="\/accounts\/password_reset\/"/, 'with a way to ask again');
    }
    const post = await server.browser().post(`/accounts/reset/${uid}/set-password/`, { new_password1: 'x', new_password2: 'x' });
    assert.equal(post.status, 200, 'no cookie, no reset');
    assert.ok(pageText(await post.text()).includes(INVALID_LINK));
  });

  it('the new-password form re-renders with its message on bad input', async () => {
    const user = await server.make.user({ email: `margaret.${randomBytes(2).toString('hex')}@example.com` });
    const browser = server.browser();
    const setPassword = await openLink(browser, await requestLink(browser, user.email));
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ new_password1: '', new_password2: '' }, 'new_password1', 'This field is required.'],
      [{ new_password1: NEW_PASSWORD, new_password2: 'other-thing-123' }, 'new_password2', 'The two password fields didn’t match.'],
      [{ new_password1: 'qwerty', new_password2: 'qwerty' }, 'new_password2', 'This password is too short. It must contain at least 8 characters. This password is too common.'],
      [{ new_password1: '31415926535', new_password2: '31415926535' }, 'new_password2', 'This password is entirely numeric.'],
      [{ new_password1: user.email, new_password2: user.email }, 'new_password2', 'The password is too similar to the username.'],
    ];
    for (const [fields, name, message] of cases) {
      const res = await browser.submitForm(setPassword, fields);
      assert.equal(res.status, 200);
      const page = await res.text();
      assert.equal(fieldError(page, name), message);
      assert.match(page, new RegExp(`id="id_${name}"[^>]*aria-invalid="true"`));
    }
    const missingCsrf = await browser.post(setPassword, { new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD });
    assert.equal(missingCsrf.status, 403);
    const ok = await browser.submitForm(setPassword, { new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD });
    assert.equal(ok.status, 302, 'the link still works after the refused tries');
  });

  it('the request form checks the address; inactive users and users without a password get no mail', async () => {
    const browser = server.browser();
    for (const [email, message] of [['', 'This field is required.'], ['nope', 'Enter a valid email address.']]) {
      const res = await browser.submitForm('/accounts/password_reset/', { email });
      assert.equal(res.status, 200);
      assert.equal(fieldError(await res.text(), 'email'), message);
    }
    const inactive = await server.make.user({ isActive: false });
    assert.equal((await browser.submitForm('/accounts/password_reset/', { email: inactive.email })).status, 302);
    await mailbox.expectNone(inactive.email, 500);
    const noCsrf = await browser.post('/accounts/password_reset/', { email: inactive.email });
    assert.equal(noCsrf.status, 403);
  });
});

describe('password reset rate limit', () => {
  it('a few requests per address, then 429 with the message', async (t) => {
    const { server, mailbox } = await startServerWithMailbox(t, { DJAM_ACCOUNT_MAIL_RATE_LIMIT: '2' });
    const user = await server.make.user();
    const browser = server.browser();
    for (let i = 0; i < 2; i++) assert.equal((await browser.submitForm('/accounts/password_reset/', { email: user.email })).status, 302);
    const blocked = await browser.submitForm('/accounts/password_reset/', { email: user.email });
    assert.equal(blocked.status, 429);
    assert.ok(pageText(await blocked.text()).includes('Too many attempts. Wait a few minutes and try again.'));
    await mailbox.next(user.email);
    await mailbox.next(user.email);
    await mailbox.expectNone(user.email, 500);
  });
});
