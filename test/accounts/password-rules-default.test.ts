// #18 §4: Django's four password validators apply in every profile by default (here the local
// one), and each door that sets a password says why one was refused: the change form, the reset
// form, the admin API's set-password (whose message the console shows under the field).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { AdminCaller } from '../helpers/admin.fixture.ts';
import { linkIn, startServerWithMailbox, type Mailbox } from '../helpers/mailbox.ts';
import { fieldError } from '../helpers/page-text.ts';
import type { TestServer } from '../helpers/start-server.ts';

const COMMON_AND_NUMERIC = 'This password is too common. This password is entirely numeric.';

let server: TestServer;
let mailbox: Mailbox;
before(async (t) => {
  ({ server, mailbox } = await startServerWithMailbox(t, { DJAM_PROJECT_ENVIRONMENT: 'local' }));
});

describe('#18 password rules in the default profile', () => {
  it('#18 the password change form refuses 12345678 and says why', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const res = await browser.submitForm('/accounts/password_change/', { old_password: user.password, new_password1: '12345678', new_password2: '12345678' });
    assert.equal(res.status, 200);
    assert.equal(fieldError(await res.text(), 'new_password2'), COMMON_AND_NUMERIC);
  });

  it('#18 the reset form refuses a leaked password and says why', async () => {
    const user = await server.make.user({ email: 'leaky@example.com' });
    assert.equal((await server.browser().submitForm('/accounts/password_reset/', { email: user.email })).status, 302);
    const link = linkIn((await mailbox.next(user.email)).text, `${server.url}/accounts/reset/`);
    const browser = server.browser();
    const opened = await browser.get(link);
    const res = await browser.submitForm(opened.headers.get('location')!, { new_password1: 'baywatch', new_password2: 'baywatch' });
    assert.equal(res.status, 200);
    assert.equal(fieldError(await res.text(), 'new_password2'), 'This password is too common.');
  });

  it("#18 the admin's set-password refuses 12345678 and says why", async () => {
    const admin = await server.make.user({ email: 'desk@example.com', isStaff: true });
    const staff = new AdminCaller(server, { browser: await server.signIn(admin.email, admin.password) });
    const user = await server.make.user();
    const res = await staff.put(`/users/${user.id}/password`, { password: '12345678' });
    assert.equal(res.status, 400);
    assert.equal(res.body.details.fields.password, COMMON_AND_NUMERIC);
  });
});
