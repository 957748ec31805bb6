// #22 helpers of the MFA tests: codes computed from the secret the page shows, enrolment from the
// Security page, the two sign-in steps, an administrator calling the admin API.
import assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';
import type { Browser } from '../helpers/cookie-jar.ts';
import type { TestServer } from '../helpers/start-server.ts';
import { announceChange, confirmAnnounced, trackAnnouncements } from '../../src/db/change-feed.ts';

/** The code an authenticator app shows for `secret`, `stepsAhead` steps of 30 s from now. */
export function codeFor(secret: string, stepsAhead = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

export const csrfOf = (page: string) => /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page)![1];

/** The helpers bound to the file's server. */
export function mfaHelpers(server: TestServer) {
  /** The server drops its cached copy of a session changed behind its back, before the test goes on (PostgreSQL's NOTIFY is asynchronous). */
  const dropCachedSession = (hash: string) => trackAnnouncements(server.app.changes, async () => {
    await announceChange(server.database.db, 'session', hash);
    await confirmAnnounced();
  });

  /** Enrols an authenticator app from the Security page; the secret and the recovery codes shown. */
  async function enrolTotp(browser: Browser, path = '/accounts/security/totp/'): Promise<{ secret: string; codes: string[]; landed: string }> {
    const page = await browser.get(path);
    assert.equal(page.status, 200);
    const body = await page.text();
    const secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(body)?.[1];
    assert.ok(secret, 'the base32 secret is shown as text');
    assert.match(body, /otpauth:\/\/totp\/[^"<]+secret=/, 'the otpauth URI is shown');
    assert.match(body, /<img src="data:image\/png;base64,/, 'a QR code image');
    const wrong = await browser.post(path, { csrfmiddlewaretoken: csrfOf(body), code: '000000' === codeFor(secret) ? '111111' : '000000' });
    assert.equal(wrong.status, 200, 'a wrong code re-renders the form');
    const done = await browser.post(path, { csrfmiddlewaretoken: csrfOf(body), code: codeFor(secret) });
    assert.equal(done.status, 302);
    const location = done.headers.get('location')!;
    assert.match(location, /^\/accounts\/security\/recovery-codes\//);
    const codesPage = await browser.get(location);
    const html = await codesPage.text();
    const codes = [...html.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]);
    assert.equal(codes.length, 10, 'ten recovery codes, each in its own <code>');
    return { secret, codes, landed: html };
  }

  async function signInWithPassword(browser: Browser, user: { email: string; password: string }, next?: string): Promise<Response> {
    const path = next ? `/accounts/login/?next=${encodeURIComponent(next)}` : '/accounts/login/';
    return browser.submitForm(path, { username: user.email, password: user.password });
  }

  async function submitCode(browser: Browser, verifyPath: string, code: string): Promise<Response> {
    return browser.submitForm(verifyPath, { code });
  }

  /** A signed-in staff member calling the admin API with the session cookie and its CSRF token. */
  async function adminCaller() {
    const staff = await server.make.user({ isStaff: true });
    const browser = await server.signIn(staff.email, staff.password);
    return (method: string, path: string, body?: unknown) => browser.fetch(path, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), 'x-csrftoken': browser.cookie('XSRF-TOKEN')! },
    });
  }

  return { dropCachedSession, enrolTotp, signInWithPassword, submitCode, adminCaller };
}
