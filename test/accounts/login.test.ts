// Sign-in, sign-out and the site root (docs/compatibility.md §6.1–6.3), through the real server: CSRF, the
// failure messages, `next`, the account pages' guards, rate limiting, upgrading imported
// Django password hashes, and the cookie and security headers of docs/compatibility.md §0.2.
import assert from 'node:assert/strict';
import { createHash, pbkdf2Sync } from 'node:crypto';
import { before, describe, it, test } from 'node:test';
import { findUserByEmail } from '../../src/users/index.ts';
import type { Browser } from '../helpers/cookie-jar.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

const BAD_CREDENTIALS = 'Please enter a correct email address and password. Note that both fields may be case-sensitive.';
const RESEND_LINK = '<a href="/user/resend_activation_email/">re-send activation email</a>';

function csrfTokenIn(page: string): string | undefined {
  return /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page)?.[1];
}

function signInAt(browser: Browser, path: string, email: string, password: string): Promise<Response> {
  return browser.submitForm(path, { username: email, password });
}

let server: TestServer;
before(async (t) => {
  server = await startTestServer(t);
});

describe('login pages', () => {
  it('GET /accounts/login/ renders a form with a CSRF token that matches the XSRF-TOKEN cookie', async () => {
    const browser = server.browser();
    const res = await browser.get('/accounts/login/?next=/o/applications/');
    assert.equal(res.status, 200);
    const page = await res.text();
    const token = csrfTokenIn(page);
    assert.ok(token, 'the form carries csrfmiddlewaretoken');
    assert.equal(browser.cookie('XSRF-TOKEN'), token);
    assert.match(page, /name="username"/);
    assert.match(page, /name="password"/);
    assert.match(page, /action="\/accounts\/login\/\?next=\/o\/applications\/"/, 'the query string survives into the form action');
  });

  it('a POST without the CSRF token is refused with 403', async () => {
    const user = await server.make.user();
    const browser = server.browser();
    await browser.get('/accounts/login/');
    const withCookieOnly = await browser.post('/accounts/login/', { username: user.email, password: user.password });
    assert.equal(withCookieOnly.status, 403);
    assert.equal(browser.cookie('djam_sessionid'), undefined);
    const noCookie = await server.browser().post('/accounts/login/', { username: user.email, password: user.password, csrfmiddlewaretoken: 'forged.token' });
    assert.equal(noCookie.status, 403);
  });

  it('a wrong password re-renders the form (200) with the message and no session', async () => {
    const user = await server.make.user();
    const browser = server.browser();
    const res = await signInAt(browser, '/accounts/login/', user.email, 'not-the-password');
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.ok(page.includes(BAD_CREDENTIALS), 'the failure message is shown');
    assert.ok(csrfTokenIn(page), 'the form is shown again');
    assert.equal(browser.cookie('djam_sessionid'), undefined);
  });

  it('an inactive user gets the same message as a wrong password', async () => {
    const user = await server.make.user({ isActive: false });
    const res = await signInAt(server.browser(), '/accounts/login/', user.email, user.password);
    assert.equal(res.status, 200);
    assert.ok((await res.text()).includes(BAD_CREDENTIALS));
  });

  it('an unconfirmed e-mail with the right password is asked to confirm, with the resend link', async () => {
    const user = await server.make.user({ emailConfirmed: false });
    const browser = server.browser();
    const res = await signInAt(browser, '/accounts/login/', user.email, user.password);
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.ok(page.includes(`Please confirm your email before continuation. Do you want to ${RESEND_LINK}?`), page);
    assert.equal(browser.cookie('djam_sessionid'), undefined);
  });

  it('the e-mail matches case-insensitively; success goes to the edit page with an HttpOnly, SameSite=Lax session cookie', async () => {
    const user = await server.make.user({ email: 'alice@example.com' });
    const browser = server.browser();
    const res = await signInAt(browser, '/accounts/login/', 'ALICE@EXAMPLE.COM', user.password);
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), `/user/account/edit/${user.id}/`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('djam_sessionid='));
    assert.ok(cookie, 'the session cookie is set');
    assert.match(cookie, /;\s*HttpOnly/i);
    assert.match(cookie, /;\s*SameSite=Lax/i);
    assert.match(cookie, /;\s*Path=\//i);
    assert.match(cookie, /;\s*Max-Age=1209600/i, 'two weeks, as the original');
    const edit = await browser.get(`/user/account/edit/${user.id}/`);
    assert.equal(edit.status, 200);
    assert.ok((await edit.text()).includes('alice@example.com'));
    const stored = await findUserByEmail({ db: server.database.db }, 'alice@example.com');
    assert.ok(stored?.lastLogin instanceof Date, 'last_login is recorded');
  });

  it('a safe next is honoured, an external one ignored', async () => {
    const user = await server.make.user();
    const safe = await signInAt(server.browser(), '/accounts/login/?next=/o/applications/', user.email, user.password);
    assert.equal(safe.status, 302);
    assert.equal(safe.headers.get('location'), '/o/applications/');
    const absoluteOwn = await signInAt(server.browser(), `/accounts/login/?next=${encodeURIComponent(`${server.url}/o/applications/`)}`, user.email, user.password);
    assert.equal(absoluteOwn.headers.get('location'), `${server.url}/o/applications/`);
    for (const evil of ['http://evil.example/', '//evil.example/', '/\\evil.example/']) {
      const res = await signInAt(server.browser(), `/accounts/login/?next=${encodeURIComponent(evil)}`, user.email, user.password);
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), `/user/account/edit/${user.id}/`, `next=${evil} is ignored`);
    }
  });

  it('GET / sends a signed-in user to the account page and a visitor to the login page', async () => {
    const user = await server.make.user();
    const anonymous = await server.browser().get('/');
    assert.equal(anonymous.status, 302);
    assert.equal(anonymous.headers.get('location'), '/accounts/login/');
    const browser = await server.signIn(user.email, user.password);
    const signedIn = await browser.get('/');
    assert.equal(signedIn.status, 302);
    assert.equal(signedIn.headers.get('location'), `/user/account/${user.id}/`);
  });

  it("the account pages: own id 200, another user's id 403, visitors redirected to the absolute login URL with next", async () => {
    const user = await server.make.user();
    const other = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    assert.equal((await browser.get(`/user/account/${user.id}/`)).status, 200);
    assert.equal((await browser.get('/user/account/')).status, 200);
    assert.equal((await browser.get(`/user/account/${other.id}/`)).status, 403);
    assert.equal((await browser.get(`/user/account/edit/${other.id}/`)).status, 403);

    const anonymous = await server.browser().get('/user/account/');
    assert.equal(anonymous.status, 302);
    const location = new URL(anonymous.headers.get('location')!);
    assert.equal(`${location.origin}${location.pathname}`, server.config.loginUrl);
    assert.equal(location.searchParams.get('next'), '/user/account/');

    // Reached under another host name than SITEURL's, `next` must be absolute (docs/compatibility.md §6.1).
    const port = new URL(server.url).port;
    const viaLocalhost = await fetch(`http://localhost:${port}/user/account/${user.id}/`, { redirect: 'manual' });
    assert.equal(viaLocalhost.status, 302);
    const crossHost = new URL(viaLocalhost.headers.get('location')!);
    assert.equal(`${crossHost.origin}${crossHost.pathname}`, server.config.loginUrl);
    assert.equal(crossHost.searchParams.get('next'), `http://localhost:${port}/user/account/${user.id}/`);
  });

  it('#17 item 11: logout by GET shows a confirmation form that posts the token, and keeps the session', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const res = await browser.get('/accounts/logout/?next=/accounts/login/%3Fbye%3D1');
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, /<form method="post" action="\/accounts\/logout\/\?next=%2Faccounts%2Flogin%2F%3Fbye%3D1">/, 'next survives into the form');
    assert.equal(csrfTokenIn(page), browser.cookie('XSRF-TOKEN'));
    assert.ok(browser.cookie('djam_sessionid'), 'the cookie stays');
    assert.equal((await browser.get('/user/account/')).status, 200, 'the session still works');
  });

  it('#17 item 11: a logout POST without a token, with a forged one, or from another site keeps the session', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const token = csrfTokenIn(await (await browser.get('/user/account/')).text())!;
    for (const [form, headers] of [
      [{}, {}], [{ csrfmiddlewaretoken: 'forged.token' }, {}], [{ csrfmiddlewaretoken: token }, { origin: 'https://evil.example' }],
    ] as const) {
      const res = await browser.post('/accounts/logout/', form, headers);
      assert.equal(res.status, 403, JSON.stringify({ form, headers }));
      const page = await res.text();
      assert.ok(csrfTokenIn(page), 'the page offers the confirmation form instead');
      assert.equal((await browser.get('/user/account/')).status, 200, 'the session still works');
    }
  });

  it('#17 item 11: the confirmation form signs out: the session ends on the server, a safe next is honoured', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const token = browser.cookie('djam_sessionid');
    assert.ok(token);
    const out = await browser.signOut('/accounts/login/?bye=1');
    assert.equal(out.status, 302);
    assert.equal(out.headers.get('location'), '/accounts/login/?bye=1');
    assert.equal(browser.cookie('djam_sessionid'), undefined, 'the cookie is cleared');
    // Replaying the old cookie proves the session row is gone, not just the cookie.
    const replay = await fetch(`${server.url}/user/account/`, { headers: { cookie: `djam_sessionid=${token}` }, redirect: 'manual' });
    assert.equal(replay.status, 302);
    assert.match(replay.headers.get('location') ?? '', /\/accounts\/login\/\?next=/);
    const plain = await (await server.signIn(user.email, user.password)).signOut();
    assert.equal(plain.headers.get('location'), '/accounts/login/', 'DJAM_LOGOUT_REDIRECT without next');
  });

  it("#17 item 11: the account page's Sign out button posts the token and signs out", async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const page = await (await browser.get('/user/account/')).text();
    const form = /<form method="post" action="\/accounts\/logout\/"[^>]*>([\s\S]*?)<\/form>/.exec(page);
    assert.ok(form, 'the navigation has a sign-out form');
    const out = await browser.post('/accounts/logout/', { csrfmiddlewaretoken: csrfTokenIn(form[1])! });
    assert.equal(out.status, 302);
    assert.equal((await browser.get('/user/account/')).status, 302, 'signed out');
  });

  for (const [format, encode] of [
    ['pbkdf2_sha256', (password: string) => `pbkdf2_sha256$1000$saltsalt$${pbkdf2Sync(password, 'saltsalt', 1000, 32, 'sha256').toString('base64')}`],
    ['sha1', (password: string) => `sha1$saltsalt$${createHash('sha1').update(`saltsalt${password}`).digest('hex')}`],
  ] as const) {
    it(`an imported Django ${format} hash signs in, then is upgraded to Argon2id`, async () => {
      const password = 'correct horse battery staple';
      const user = await server.make.user({ password, passwordHash: encode(password) });
      const deps = { db: server.database.db };
      assert.ok((await findUserByEmail(deps, user.email))?.password.startsWith(`${format}$`), 'stored verbatim');
      const wrong = await signInAt(server.browser(), '/accounts/login/', user.email, 'wrong password');
      assert.equal(wrong.status, 200);
      const res = await signInAt(server.browser(), '/accounts/login/', user.email, password);
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), `/user/account/edit/${user.id}/`);
      const upgraded = (await findUserByEmail(deps, user.email))!.password;
      assert.ok(upgraded.startsWith('$argon2id$'), upgraded);
      assert.equal((await signInAt(server.browser(), '/accounts/login/', user.email, password)).status, 302, 'the new hash verifies');
    });
  }

  it('pages carry X-Frame-Options, X-Content-Type-Options and Referrer-Policy', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    for (const res of [await server.browser().get('/accounts/login/'), await browser.get('/user/account/'), await server.browser().get('/')]) {
      assert.equal(res.headers.get('x-frame-options'), 'DENY', res.url);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', res.url);
      assert.equal(res.headers.get('referrer-policy'), 'same-origin', res.url);
    }
  });
});

// On its own server: the limiter also counts per client IP, and every test here comes from 127.0.0.1.
test('after 10 failed attempts for one address the 11th, even with the right password, answers 429', async (t) => {
  // The lock-out alone: without the short delay that would refuse the 6th quick attempt (test/users/lockout.test.ts).
  const server = await startTestServer(t, { DJAM_LOGIN_DELAY_AFTER: '0' });
  const user = await server.make.user();
  const browser = server.browser();
  for (let i = 1; i <= 10; i++) {
    const res = await signInAt(browser, '/accounts/login/', user.email, `wrong-${i}`);
    assert.equal(res.status, 200, `attempt ${i}`);
    assert.ok((await res.text()).includes(BAD_CREDENTIALS));
  }
  const blocked = await signInAt(browser, '/accounts/login/', user.email.toUpperCase(), user.password);
  assert.equal(blocked.status, 429);
  const page = await blocked.text();
  assert.ok(page.includes('Too many attempts. Wait a few minutes and try again.'), page);
  assert.ok(csrfTokenIn(page), 'the form is shown again');
  assert.equal(browser.cookie('djam_sessionid'), undefined);
});
