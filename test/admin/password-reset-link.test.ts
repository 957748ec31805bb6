// An administrator's "reset password" mails a link that really sets a new password: for a user
// who had one (which keeps working until the link is used, Keycloak's behaviour) and for a user
// created without one (an invitation). The link works once.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { linkIn, startServerWithMailbox, type Mailbox } from '../helpers/mailbox.ts';
import type { TestServer } from '../helpers/start-server.ts';
import { AdminCaller } from '../helpers/admin.fixture.ts';

const NEW_PASSWORD = 'a brand new passphrase 42';

let server: TestServer;
let mailbox: Mailbox;
let staff: AdminCaller;
before(async (t) => {
  ({ server, mailbox } = await startServerWithMailbox(t));
  const admin = await server.make.user({ email: 'desk@example.com', isStaff: true });
  staff = new AdminCaller(server, { browser: await server.signIn(admin.email, admin.password) });
});

/** Follows a reset link to its form and sets NEW_PASSWORD; answers where the form sent us. */
async function useLink(link: string): Promise<string | null> {
  const browser = server.browser();
  const opened = await browser.get(link);
  assert.equal(opened.status, 302, 'a good link leads to the set-password form');
  const res = await browser.submitForm(opened.headers.get('location')!, { new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD });
  return res.headers.get('location');
}

describe('admin password reset', () => {
  test('#18 the old password keeps working until the mailed link is used; the mail names the administrator; the link works once', async () => {
    const user = await server.make.user({ email: 'forgetful@example.com' });
    assert.equal((await staff.post(`/users/${user.id}/password-reset`)).status, 204);
    await server.signIn(user.email, user.password);
    const mail = await mailbox.next(user.email);
    assert.match(mail.text, /An administrator \(desk@example\.com\)/);
    assert.doesNotMatch(mail.text, /stays as it is/);
    assert.match(mail.text, /current password keeps working until/);
    const link = linkIn(mail.text, `${server.url}/accounts/reset/`);
    assert.equal(await useLink(link), '/accounts/reset/done/', 'a sign-in meanwhile does not void the link');
    await server.signIn(user.email, NEW_PASSWORD);
    await assert.rejects(server.signIn(user.email, user.password), 'the old password stopped working once the link was used');
    const again = await server.browser().get(link);
    assert.equal(again.status, 200, 'a used link leads nowhere');
    assert.match(await again.text(), /invalid|no longer/i);
  });

  test('a user created without a password is invited by the same link', async () => {
    const created = await staff.post('/users', { email: 'invitee@example.com', first_name: 'New' });
    assert.equal(created.status, 201);
    assert.equal(created.body.has_usable_password, false);
    assert.equal((await staff.post(`/users/${created.body.id}/password-reset`)).status, 204);
    const mail = await mailbox.next('invitee@example.com');
    assert.equal(await useLink(linkIn(mail.text, `${server.url}/accounts/reset/`)), '/accounts/reset/done/');
    await server.signIn('invitee@example.com', NEW_PASSWORD);
  });

  test('#18 end_password=true forces a new password: the current one and the sessions end now, the link sets the new one', async () => {
    const user = await server.make.user({ email: 'compromised@example.com' });
    const session = await server.signIn(user.email, user.password);
    assert.equal((await staff.post(`/users/${user.id}/password-reset?end_password=true`)).status, 204);
    await assert.rejects(server.signIn(user.email, user.password), 'the old password stopped working at once');
    const page = await session.get('/user/account/');
    assert.equal(page.status, 302, 'the session ended');
    const mail = await mailbox.next(user.email);
    assert.match(mail.text, /An administrator \(desk@example\.com\)/);
    assert.doesNotMatch(mail.text, /stays as it is|keeps working/);
    assert.equal(await useLink(linkIn(mail.text, `${server.url}/accounts/reset/`)), '/accounts/reset/done/');
    await server.signIn(user.email, NEW_PASSWORD);
  });
});
