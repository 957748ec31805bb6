// #18 §3 Pages: the frame every page shares. Staff see a link to the admin console in the header
// (others do not); the icon is answered at /favicon.ico and linked from every page; the Copy
// button's script is served from our own origin (the pages' CSP allows no inline script).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestServer } from '../helpers/start-server.ts';

test('#18 staff see a link to the admin console in the page header; other users do not', async (t) => {
  const server = await startTestServer(t);
  const staff = await server.make.user({ email: 'desk@example.com', isStaff: true });
  const user = await server.make.user({ email: 'plain@example.com' });
  const staffPage = await (await (await server.signIn(staff.email, staff.password)).get('/user/account/')).text();
  assert.match(staffPage, /<header>[\s\S]*<a href="\/admin\/">Admin console<\/a>[\s\S]*<\/header>/);
  const userPage = await (await (await server.signIn(user.email, user.password)).get('/user/account/')).text();
  assert.doesNotMatch(userPage, /href="\/admin\/"/);
});

test('#18 a favicon is answered and linked; the copy script is served from our origin', async (t) => {
  const server = await startTestServer(t);
  for (const path of ['/favicon.ico', '/favicon.svg']) {
    const res = await fetch(`${server.url}${path}`);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    assert.match(await res.text(), /^<svg /);
  }
  const login = await (await fetch(`${server.url}/accounts/login/`)).text();
  assert.match(login, /<link rel="icon" href="\/favicon.svg" type="image\/svg\+xml">/);
  // #22: the login page's passkey button brings its two scripts, from our origin like the Copy script; never an inline one.
  const scripts = [...login.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
  assert.deepEqual(scripts.map((attrs) => /src="([^"]+)"/.exec(attrs)?.[1]), ['/static/simplewebauthn-browser.js', '/static/passkeys.js']);
  const script = await fetch(`${server.url}/static/copy.js`);
  assert.equal(script.status, 200);
  assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
  assert.match(await script.text(), /data-copy/);
});
