// Password change by the signed-in user (docs/compatibility.md §6.7): the session doing it stays signed in (the
// contract's fix of the original), other sessions end, the notice e-mail goes out.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { startServerWithMailbox, type Mailbox } from '../helpers/mailbox.ts';
import { fieldError, pageText } from '../helpers/page-text.ts';
import type { TestServer } from '../helpers/start-server.ts';

const NEW_PASSWORD = 'copper-meadow-fjord-7';
const WRONG_OLD = 'Your old password was entered incorrectly. Please enter it again.';

let server: TestServer;
let mailbox: Mailbox;
before(async (t) => {
  ({ server, mailbox } = await startServerWithMailbox(t, { DJAM_PROJECT_ENVIRONMENT: 'test', DJAM_LOGIN_RATE_LIMIT: '3' }));
});

describe('password change', () => {
  it('needs a session: anonymous visitors go to the login page', async () => {
    for (const path of ['/accounts/password_change/', '/accounts/password_change/done/']) {
      const res = await server.browser().get(path);
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), `${server.url}/accounts/login/?next=${encodeURIComponent(path)}`);
    }
    const post = await server.browser().post('/accounts/password_change/', { old_password: 'x' });
    assert.equal(post.status, 302);
  });

  it('#17 review: a new password holding a NUL (which no door would accept) is refused on the form', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const nul = `${NEW_PASSWORD}\u0000x`;
    const res = await browser.submitForm('/accounts/password_change/', { old_password: user.password, new_password1: nul, new_password2: nul });
    assert.equal(res.status, 200, 'the form again, not a 500');
    assert.match(pageText(await res.text()), /must not contain a NUL/);
    assert.equal((await server.browser().submitForm('/accounts/login/', { username: user.email, password: user.password })).status, 302, 'the old password still works');
  });

  it('changes the password and keeps this session signed in; other sessions end; a notice is sent', async () => {
    const user = await server.make.user({ firstName: 'Alan', lastName: 'Turing' });
    const browser = await server.signIn(user.email, user.password);
    const other = await server.signIn(user.email, user.password);
    const page = await (await browser.get('/accounts/password_change/')).text();
    for (const name of ['old_password', 'new_password1', 'new_password2']) assert.match(page, new RegExp(`<label for="id_${name}">`));

    const res = await browser.submitForm('/accounts/password_change/', { old_password: user.password, new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/accounts/password_change/done/');
    const done = await browser.get('/accounts/password_change/done/');
    assert.equal(done.status, 200, 'still signed in');
    assert.ok(pageText(await done.text()).includes('Your password was changed.'));
    assert.equal((await browser.get('/user/account/')).status, 200);
    assert.equal((await other.get('/user/account/')).status, 302, 'the other session ended');

    const mail = await mailbox.next(user.email);
    assert.equal(mail.subject, `Password change on ${new URL(server.url).host}`);
    assert.match(mail.text, /Dear Alan Turing,/);
    assert.match(mail.html, /Dear Alan Turing,/);

    assert.equal((await server.browser().submitForm('/accounts/login/', { username: user.email, password: user.password })).status, 200);
    assert.equal((await server.browser().submitForm('/accounts/login/', { username: user.email, password: NEW_PASSWORD })).status, 302);
  });

  it('bad input re-renders the form with its message and changes nothing', async () => {
    const user = await server.make.user({ email: 'ken.thompson@example.com' });
    const browser = await server.signIn(user.email, user.password);
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ old_password: '', new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD }, 'old_password', 'This field is required.'],
      [{ old_password: user.password, new_password1: NEW_PASSWORD, new_password2: `${NEW_PASSWORD}x` }, 'new_password2', 'The two password fields didn’t match.'],
      [{ old_password: user.password, new_password1: '', new_password2: '' }, 'new_password1', 'This field is required.'],
      [{ old_password: user.password, new_password1: 'iloveyou', new_password2: 'iloveyou' }, 'new_password2', 'This password is too common.'],
      [{ old_password: user.password, new_password1: 'ken.thompson', new_password2: 'ken.thompson' }, 'new_password2', 'The password is too similar to the username.'],
      [{ old_password: user.password, new_password1: '1234', new_password2: '1234' }, 'new_password2', 'This password is too short. It must contain at least 8 characters. This password is too common. This password is entirely numeric.'],
    ];
    for (const [fields, name, message] of cases) {
      const res = await browser.submitForm('/accounts/password_change/', fields);
      assert.equal(res.status, 200);
      const page = await res.text();
      assert.equal(fieldError(page, name), message);
      assert.match(page, new RegExp(`id="id_${name}"[^>]*aria-invalid="true"`));
    }
    assert.equal((await browser.post('/accounts/password_change/', { old_password: user.password, new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD })).status, 403, 'CSRF');
    assert.equal((await server.browser().submitForm('/accounts/login/', { username: user.email, password: user.password })).status, 302, 'the password is unchanged');
    await mailbox.expectNone(user.email, 300);
  });

  it('a wrong old password is refused, and after a few tries the form answers 429', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const attempt = (old: string) => browser.submitForm('/accounts/password_change/', { old_password: old, new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD });
    for (let i = 0; i < 3; i++) {
      const res = await attempt('not-my-password');
      assert.equal(res.status, 200);
      assert.equal(fieldError(await res.text(), 'old_password'), WRONG_OLD);
    }
    const blocked = await attempt(user.password);
    assert.equal(blocked.status, 429);
    assert.ok(pageText(await blocked.text()).includes('Too many attempts. Wait a few minutes and try again.'));
  });
});
