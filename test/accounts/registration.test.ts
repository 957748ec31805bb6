// Self-service sign-up (docs/compatibility.md §6.4–6.6) through the real server and a real SMTP server: the form,
// the activation e-mail, the confirmation page and every message of docs/compatibility.md §6.5/§6.6, resending, rate
// limits, reCAPTCHA (against a local stand-in for Google's siteverify) and bad input.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { userActivationCodes } from '../../src/db/schema.ts';
import { findUserByEmail } from '../../src/users/index.ts';
import type { Browser } from '../helpers/cookie-jar.ts';
import { linkIn, startServerWithMailbox, type Mailbox } from '../helpers/mailbox.ts';
import { fieldError, pageText } from '../helpers/page-text.ts';
import type { TestServer } from '../helpers/start-server.ts';

const RESEND_LINK = '<a href="/user/resend_activation_email/">Resend an activation email</a>';
const SUCCESS = 'Congrats! You have successfully activated your account :) From now on you can log in.';
const PASSWORD = 'violet-harbour-lantern';

const newEmail = () => `reg-${randomBytes(4).toString('hex')}@example.com`;

function form(overrides: Record<string, string> = {}): Record<string, string> {
  return { first_name: 'Ada', last_name: 'Lovelace', email: newEmail(), secondary_email: '', password1: PASSWORD, password2: PASSWORD, ...overrides };
}

let server: TestServer;
let mailbox: Mailbox;
before(async (t) => ({ server, mailbox } = await startServerWithMailbox(t, { DJAM_PROJECT_ENVIRONMENT: 'test' })));

describe('registration and e-mail confirmation', () => {
  async function registerAndGetLink(browser: Browser, fields = form()): Promise<{ email: string; link: string }> {
    const res = await browser.submitForm('/user/register/', fields);
    assert.equal(res.status, 302, pageText(await res.text()));
    const mail = await mailbox.next(fields.email);
    return { email: fields.email, link: linkIn(mail.text, `${server.url}/user/`) };
  }

  it('/register redirects to /user/register/, whose form has every field with a label', async () => {
    const browser = server.browser();
    const res = await browser.get('/register');
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/user/register/');
    const page = await (await browser.get('/user/register/')).text();
    for (const name of ['first_name', 'last_name', 'email', 'secondary_email', 'password1', 'password2']) {
      assert.match(page, new RegExp(`<label for="id_${name}">`), `label of ${name}`);
      assert.match(page, new RegExp(`name="${name}"`));
    }
    assert.doesNotMatch(page, /name="captcha"/, 'no captcha without reCAPTCHA keys');
    assert.doesNotMatch(page, /<script/, 'the page works without JavaScript');
  });

  it('a sign-up sends the activation e-mail; its link confirms the address and then sign-in works', async () => {
    const browser = server.browser();
    const fields = form({ email: `Ada.${randomBytes(3).toString('hex')}@Example.COM`, secondary_email: 'backup@example.org' });
    const res = await browser.submitForm('/user/register/', fields);
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/user/activation_msg_sent/');
    const sent = await browser.get('/user/activation_msg_sent/');
    assert.equal(sent.status, 200);
    assert.match(pageText(await sent.text()), /We have sent an e-mail to the address you entered/);

    const stored = await findUserByEmail({ db: server.database.db }, fields.email);
    assert.ok(stored);
    const normalised = fields.email.replace(/@.*/, '@example.com');
    assert.equal(stored.email, normalised, 'the domain part is lower-cased');
    assert.equal(stored.username, normalised, 'the username is the e-mail');
    assert.equal(stored.emailConfirmed, false);
    assert.equal(stored.secondaryEmail, 'backup@example.org');
    assert.match(stored.password, /^\$argon2id\$/);

    const mail = await mailbox.next(normalised);
    assert.equal(mail.subject, 'Activate your Account');
    const link = linkIn(mail.text, `${server.url}/user/`);
    assert.match(link, new RegExp(`^${server.url}/user/${stored.uuid}/email_confirmation/\\?activation_code=[A-Za-z0-9]{25}$`));
    assert.ok(mail.html.includes(`href="${link}"`), 'the HTML has the link');
    assert.match(mail.html, /Verify email/);

    const before = await browser.submitForm('/accounts/login/', { username: normalised, password: PASSWORD });
    assert.equal(before.status, 200, 'an unconfirmed user cannot sign in yet');
    assert.ok((await before.text()).includes('Do you want to <a href="/user/resend_activation_email/">re-send activation email</a>?'));

    const confirm = await browser.get(link);
    assert.equal(confirm.status, 200);
    const page = await confirm.text();
    assert.ok(pageText(page).includes(SUCCESS), 'the success message is visible');
    assert.match(page, /name="username"/, 'the page offers the login form');

    const signIn = await browser.submitForm('/accounts/login/', { username: normalised, password: PASSWORD });
    assert.equal(signIn.status, 302);
    assert.equal(signIn.headers.get('location'), `/user/account/edit/${stored.id}/`);

    const again = await server.browser().get(link);
    assert.equal(again.status, 200);
    assert.ok(pageText(await again.text()).includes('Whoops.. Your email is already confirmed.'), 'a used link says so');
  });

  it('resending issues a fresh code: the old link stops working, the new one confirms', async () => {
    const browser = server.browser();
    const { email, link: first } = await registerAndGetLink(browser);
    const res = await browser.submitForm('/user/resend_activation_email/', { email: email.toUpperCase() });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/user/activation_msg_sent/');
    const second = linkIn((await mailbox.next(email)).text, `${server.url}/user/`);
    assert.notEqual(second, first);
    const old = await (await browser.get(first)).text();
    assert.ok(old.includes(`Whoops.. Something went wrong.<br>${RESEND_LINK}.`), 'the old code is refused');
    assert.ok(pageText(await (await browser.get(second)).text()).includes(SUCCESS));
  });

  it('a code older than 12 hours has expired', async () => {
    const browser = server.browser();
    const { email, link } = await registerAndGetLink(browser);
    const user = await findUserByEmail({ db: server.database.db }, email);
    // The clock cannot be moved over HTTP: age the code in the database.
    await server.database.db.update(userActivationCodes).set({ createdAt: new Date(Date.now() - 12 * 3600 * 1000 - 60_000) })
      .where(eq(userActivationCodes.userId, user!.id));
    const page = await (await browser.get(link)).text();
    assert.ok(page.includes(`Whoops... Your activation code has expired.<br>${RESEND_LINK}.`), page);
    const stillUnconfirmed = await findUserByEmail({ db: server.database.db }, email);
    assert.equal(stillUnconfirmed!.emailConfirmed, false);
  });

  it('the confirmation page answers every compatibility.md §6.5 case with its message', async () => {
    const browser = server.browser();
    const { link: aliceLink } = await registerAndGetLink(browser);
    const { link: bobLink } = await registerAndGetLink(browser);
    const aliceUuid = /\/user\/([^/]+)\//.exec(aliceLink)![1];
    const bobCode = new URL(bobLink).searchParams.get('activation_code')!;

    const unknown = await (await browser.get(`/user/${randomUUID()}/email_confirmation/?activation_code=${bobCode}`)).text();
    assert.ok(pageText(unknown).includes('Whoops.. Something went wrong.'));
    assert.ok(!unknown.includes(RESEND_LINK), 'no resend link for an unknown user');

    for (const query of ['', '?activation_code=', '?activation_code=nope', `?activation_code=${bobCode}`, `?activation_code=${'x'.repeat(5000)}`]) {
      const res = await browser.get(`/user/${aliceUuid}/email_confirmation/${query}`);
      assert.equal(res.status, 200, query);
      assert.ok((await res.text()).includes(`Whoops.. Something went wrong.<br>${RESEND_LINK}.`), `bad code ${query.slice(0, 30)}`);
    }
    const notUuid = await browser.get('/user/not-a-uuid/email_confirmation/?activation_code=abc');
    assert.equal(notUuid.status, 404);
    assert.ok(pageText(await (await browser.get(aliceLink)).text()).includes(SUCCESS), 'the right code still works after the failures');
  });

  it('the resend form answers bad input with its message (every address gets the same answer: account-enumeration.test.ts)', async () => {
    const browser = server.browser();
    const cases: Array<[string, string]> = [
      ['', 'This field is required.'],
      ['not-an-address', 'Enter a valid email address.'],
      ['a@b', 'Enter a valid email address.'],
      [`${'a'.repeat(250)}@example.com`, 'Ensure this value has at most 254 characters (it has 262).'],
    ];
    for (const [email, message] of cases) {
      const res = await browser.submitForm('/user/resend_activation_email/', { email });
      assert.equal(res.status, 200, email);
      const page = await res.text();
      assert.equal(fieldError(page, 'email'), message, email);
      assert.match(page, /aria-invalid="true"/);
    }
  });

  it('bad sign-up input re-renders the form with Django\'s messages and sends nothing', async () => {
    const taken = await server.make.user();
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ first_name: '' }, 'first_name', 'This field is required.'],
      [{ last_name: '   ' }, 'last_name', 'This field is required.'],
      [{ first_name: 'x'.repeat(51) }, 'first_name', 'Ensure this value has at most 50 characters (it has 51).'],
      [{ email: '' }, 'email', 'This field is required.'],
      [{ email: 'someone@' }, 'email', 'Enter a valid email address.'],
      [{ email: 'a b@example.com' }, 'email', 'Enter a valid email address.'],
      [{ email: 'evil@example.com\r\nBcc: x@example.com' }, 'email', 'Enter a valid email address.'],
      [{ secondary_email: 'nope' }, 'secondary_email', 'Enter a valid email address.'],
      [{ password1: '' }, 'password1', 'This field is required.'],
      [{ password2: 'something-else-entirely' }, 'password2', 'The two password fields didn’t match.'],
      [{ email: taken.email, password2: 'something-else-entirely' }, 'password2', 'The two password fields didn’t match.'],
      [{ password1: 'x'.repeat(5000), password2: 'x'.repeat(5000) }, 'password1', 'Ensure this value has at most 4096 characters (it has 5000).'],
      [{ password1: 'k7#Qz', password2: 'k7#Qz' }, 'password2', 'This password is too short. It must contain at least 8 characters.'],
      [{ password1: 'password123', password2: 'password123' }, 'password2', 'This password is too common.'],
      [{ password1: '9183746529', password2: '9183746529' }, 'password2', 'This password is entirely numeric.'],
      [{ email: 'lovelace.ada@example.com', password1: 'lovelace.ada!', password2: 'lovelace.ada!' }, 'password2', 'The password is too similar to the username.'],
    ];
    const browser = server.browser();
    for (const [overrides, name, message] of cases) {
      const fields = form(overrides);
      const res = await browser.submitForm('/user/register/', fields);
      assert.equal(res.status, 200, JSON.stringify(overrides).slice(0, 80));
      const page = await res.text();
      assert.equal(fieldError(page, name), message, JSON.stringify(overrides).slice(0, 80));
      assert.match(page, new RegExp(`id="id_${name}"[^>]*aria-invalid="true"`));
      assert.match(page, /role="alert"/);
      assert.doesNotMatch(page, /type="password"[^>]*value=/, 'passwords are never echoed');
      if (fields.password1) assert.ok(!page.includes(`value="${fields.password1}"`), 'passwords are never echoed');
      if (name !== 'first_name') assert.ok(page.includes(`value="${fields.first_name}"`), 'other values are kept');
    }
    await mailbox.expectNone(taken.email, 300);
  });

  it('a sign-up without the CSRF token is refused and creates nobody', async () => {
    const browser = server.browser();
    await browser.get('/user/register/');
    const fields = form();
    const res = await browser.post('/user/register/', fields);
    assert.equal(res.status, 403);
    assert.equal(await findUserByEmail({ db: server.database.db }, fields.email), undefined);
    const resend = await browser.post('/user/resend_activation_email/', { email: fields.email });
    assert.equal(resend.status, 403);
  });
});

describe('registration in the local profile', () => {
  it('#18 refuses common and all-digit passwords by default, and says why in the form', async (t) => {
    const { server } = await startServerWithMailbox(t, { DJAM_PROJECT_ENVIRONMENT: 'local' });
    const weak = await server.browser().submitForm('/user/register/', form({ password1: '12345678', password2: '12345678' }));
    assert.equal(weak.status, 200);
    assert.equal(fieldError(await weak.text(), 'password2'), 'This password is too common. This password is entirely numeric.');
    // From the maintained leaked-password list, not only the first few hundred.
    const leaked = await server.browser().submitForm('/user/register/', form({ password1: 'baywatch', password2: 'baywatch' }));
    assert.equal(fieldError(await leaked.text(), 'password2'), 'This password is too common.');
  });

  it('#18 DJAM_PASSWORD_VALIDATION=relaxed asks only for 8 characters', async (t) => {
    const { server, mailbox } = await startServerWithMailbox(t, { DJAM_PROJECT_ENVIRONMENT: 'local', DJAM_PASSWORD_VALIDATION: 'relaxed' });
    const fields = form({ password1: '12345678', password2: '12345678' });
    const res = await server.browser().submitForm('/user/register/', fields);
    assert.equal(res.status, 302);
    await mailbox.next(fields.email);
    const short = await server.browser().submitForm('/user/register/', form({ password1: '1234567', password2: '1234567' }));
    assert.equal(fieldError(await short.text(), 'password2'), 'This password is too short. It must contain at least 8 characters.');
  });
});

describe('rate limits of the forms that send e-mail', () => {
  it('limits requests per address, across registration and resend, with a 429 form', async (t) => {
    const { server, mailbox } = await startServerWithMailbox(t, { DJAM_ACCOUNT_MAIL_RATE_LIMIT: '2' });
    const browser = server.browser();
    const fields = form();
    assert.equal((await browser.submitForm('/user/register/', fields)).status, 302);
    assert.equal((await browser.submitForm('/user/resend_activation_email/', { email: fields.email })).status, 302);
    const blocked = await browser.submitForm('/user/resend_activation_email/', { email: fields.email.toUpperCase() });
    assert.equal(blocked.status, 429);
    const page = await blocked.text();
    assert.match(page, /role="alert"[^>]*>Too many attempts\. Wait a few minutes and try again\./);
    assert.match(page, /name="email"/, 'the form is shown again');
    const again = await browser.submitForm('/user/register/', { ...fields, email: fields.email });
    assert.equal(again.status, 429);
    await mailbox.next(fields.email);
    await mailbox.next(fields.email);
    await mailbox.expectNone(fields.email, 500);
    assert.equal((await browser.submitForm('/user/resend_activation_email/', { email: newEmail() })).status, 302, 'other addresses are not affected');
  });

  it('limits requests per client IP', async (t) => {
    const { server } = await startServerWithMailbox(t, { DJAM_ACCOUNT_IP_RATE_LIMIT: '3' });
    const browser = server.browser();
    for (let i = 0; i < 3; i++) assert.equal((await browser.submitForm('/user/register/', form())).status, 302);
    const blocked = await browser.submitForm('/user/register/', form());
    assert.equal(blocked.status, 429);
    assert.equal((await browser.submitForm('/accounts/password_reset/', { email: newEmail() })).status, 429, 'the reset form shares the limit');
  });
});

describe('reCAPTCHA v3', () => {
  const verifications: Array<Record<string, string>> = [];
  let verifyUrl = '';
  const google = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const params = Object.fromEntries(new URLSearchParams(body));
    verifications.push(params);
    const answers: Record<string, object> = {
      good: { success: true, score: 0.9, action: 'form' },
      low: { success: true, score: 0.2, action: 'form' },
      'other-action': { success: true, score: 0.9, action: 'login' },
    };
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(answers[params.response] ?? { success: false, 'error-codes': ['invalid-input-response'] }));
  });
  before(async () => {
    await new Promise<void>((resolve) => google.listen(0, '127.0.0.1', resolve));
    verifyUrl = `http://127.0.0.1:${(google.address() as { port: number }).port}/recaptcha/api/siteverify`;
  });
  after(() => new Promise<void>((resolve) => google.close(() => resolve())));

  it('registration needs a token that Google verifies for action "form" at the required score', async (t) => {
    const { server, mailbox } = await startServerWithMailbox(t, {
      RECAPTCHA_PUBLIC_KEY: 'site-key-123', RECAPTCHA_PRIVATE_KEY: 'secret-456', RECAPTCHA_REQUIRED_SCORE: '0.5', DJAM_RECAPTCHA_VERIFY_URL: verifyUrl,
    });
    const browser = server.browser();
    const page = await browser.get('/user/register/');
    const text = await page.text();
    assert.match(text, /<input type="hidden" name="captcha"/);
    assert.match(text, /data-captcha="site-key-123"/);
    assert.match(text, /src="https:\/\/www\.google\.com\/recaptcha\/api\.js\?render=site-key-123"/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self' https:\/\/www\.google\.com\/recaptcha\//);
    const script = await browser.get('/user/captcha.js');
    assert.equal(script.status, 200);
    assert.match(await script.text(), /action: "form"/);

    for (const captcha of ['', 'bad-token', 'low', 'other-action']) {
      const fields = form({ captcha });
      const res = await browser.submitForm('/user/register/', fields);
      assert.equal(res.status, 200, captcha);
      assert.equal(fieldError(await res.text(), 'captcha'), 'Error verifying reCAPTCHA, please try again.', captcha);
      assert.equal(await findUserByEmail({ db: server.database.db }, fields.email), undefined);
    }
    const fields = form({ captcha: 'good' });
    const ok = await browser.submitForm('/user/register/', fields);
    assert.equal(ok.status, 302);
    await mailbox.next(fields.email);
    const last = verifications.at(-1)!;
    assert.equal(last.secret, 'secret-456');
    assert.equal(last.response, 'good');
    assert.equal(last.remoteip, '127.0.0.1');

    const reset = await browser.submitForm('/accounts/password_reset/', { email: fields.email });
    assert.equal(fieldError(await reset.text(), 'captcha'), 'Error verifying reCAPTCHA, please try again.', 'the reset form has it too');
  });

  it('an unreachable verification service counts as a failed check, not a 500', async (t) => {
    const { server } = await startServerWithMailbox(t, {
      RECAPTCHA_PUBLIC_KEY: 'k', RECAPTCHA_PRIVATE_KEY: 's', DJAM_RECAPTCHA_VERIFY_URL: 'http://127.0.0.1:9/siteverify',
    });
    const res = await server.browser().submitForm('/user/register/', form({ captcha: 'good' }));
    assert.equal(res.status, 200);
    assert.equal(fieldError(await res.text(), 'captcha'), 'Error verifying reCAPTCHA, please try again.');
  });
});
