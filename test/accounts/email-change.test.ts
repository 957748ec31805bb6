// Changing one's e-mail on the account page (docs/compatibility.md §6.9, issue #17 item 5): the new address stays
// pending, and unverified, until the link mailed to it is followed. Until then relying parties
// keep seeing the old, verified address; the old address is told of the request and of the change.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import * as client from 'openid-client';
import { userActivationCodes } from '../../src/db/schema.ts';
import type { Browser } from '../helpers/cookie-jar.ts';
import { linkIn, startServerWithMailbox, type Mailbox } from '../helpers/mailbox.ts';
import { fieldError, pageText } from '../helpers/page-text.ts';
import type { TestServer } from '../helpers/start-server.ts';

const CALLBACK = 'http://127.0.0.1:8100/cb';
const insecure = { execute: [client.allowInsecureRequests] };
const address = (tag: string) => `${tag}-${randomBytes(3).toString('hex')}@corp.example`;

let server: TestServer;
let mailbox: Mailbox;
let site: string;
let rp: client.Configuration;
before(async (t) => {
  ({ server, mailbox } = await startServerWithMailbox(t));
  site = new URL(server.url).host;
  const { client: row, clientSecret } = await server.make.client({ clientType: 'confidential', redirectUris: [CALLBACK], requireConsent: false });
  rp = await client.discovery(new URL(`${server.url}/openid`), row.clientId, undefined, client.ClientSecretBasic(clientSecret!), insecure);
});

/** What a relying party learns of the signed-in user: the id token's and userinfo's e-mail claims. */
async function emailClaims(browser: Browser, sub: number): Promise<{ idToken: [unknown, unknown]; userinfo: [unknown, unknown] }> {
  const state = client.randomState();
  const res = await browser.get(client.buildAuthorizationUrl(rp, { redirect_uri: CALLBACK, scope: 'openid email', state }).href);
  assert.ok([302, 303].includes(res.status), `authorize answered ${res.status}`);
  const tokens = await client.authorizationCodeGrant(rp, new URL(res.headers.get('location')!), { expectedState: state, idTokenExpected: true });
  const claims = tokens.claims()!;
  const info = await client.fetchUserInfo(rp, tokens.access_token, String(sub));
  return { idToken: [claims.email, claims.email_verified], userinfo: [info.email, info.email_verified] };
}

async function changeEmail(browser: Browser, user: { id: number; firstName: string; lastName: string }, email: string): Promise<string> {
  const res = await browser.submitForm(`/user/account/edit/${user.id}/`, { first_name: user.firstName, last_name: user.lastName, email, secondary_email: '' });
  assert.equal(res.status, 200);
  return res.text();
}

describe('changing the e-mail address on the account page', () => {
  test('#17 item 5: a new e-mail stays unverified, and the old one in force, until the link mailed to it is followed', async () => {
    const user = await server.make.user({ firstName: 'Grace', lastName: 'Hopper' });
    const browser = await server.signIn(user.email, user.password);
    assert.deepEqual(await emailClaims(browser, user.id), { idToken: [user.email, true], userinfo: [user.email, true] });

    const target = address('ceo');
    const page = await changeEmail(browser, user, target);
    assert.deepEqual(await emailClaims(browser, user.id), { idToken: [user.email, true], userinfo: [user.email, true] },
      'relying parties still see the old, verified address');
    assert.ok(pageText(page).includes(`We have sent a confirmation link to ${target}.`), pageText(page));
    assert.ok(page.includes(`value="${user.email}"`), 'the form shows the address still in force');
    const shown = pageText(await (await browser.get('/user/account/')).text());
    assert.ok(shown.includes(`Waiting for confirmation: ${target}`), shown);

    const requested = await mailbox.next(user.email);
    assert.equal(requested.subject, `Email change requested on ${site}`);
    assert.match(requested.text, /Dear Grace Hopper,/);
    assert.ok(requested.text.includes(target));
    const mail = await mailbox.next(target);
    assert.equal(mail.subject, `Confirm your new email address on ${site}`);
    const link = linkIn(mail.text, `${server.url}/user/`);
    assert.match(link, new RegExp(`^${server.url}/user/${user.uuid}/email_confirmation/\\?activation_code=[A-Za-z0-9]{25}$`));
    assert.ok(mail.html.includes(`href="${link}"`));

    assert.equal((await server.browser().submitForm('/accounts/login/', { username: target, password: user.password })).status, 200,
      'the pending address does not sign in');

    const confirmed = await server.browser().get(link);
    assert.equal(confirmed.status, 200);
    assert.ok(pageText(await confirmed.text()).includes(`Your e-mail address is now ${target}.`));
    assert.deepEqual(await emailClaims(browser, user.id), { idToken: [target, true], userinfo: [target, true] },
      'the new address is in force, verified, once its link was followed');

    const changed = await mailbox.next(user.email);
    assert.equal(changed.subject, `Email change on ${site}`);
    assert.ok(changed.text.includes(target));
    assert.equal((await server.browser().submitForm('/accounts/login/', { username: target, password: user.password })).status, 302);
    assert.equal((await server.browser().submitForm('/accounts/login/', { username: user.email, password: user.password })).status, 200);
    const replay = pageText(await (await server.browser().get(link)).text());
    assert.ok(replay.includes('Whoops.. Your email is already confirmed.'), replay);
    assert.ok(pageText(await (await browser.get('/user/account/')).text()).includes(target));
  });

  test('#17 item 5: a link for an address taken in the meantime is refused, and nothing changes', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const target = address('taken');
    await changeEmail(browser, user, target);
    const link = linkIn((await mailbox.next(target)).text, `${server.url}/user/`);
    await server.make.user({ email: target.toUpperCase() });

    const res = await server.browser().get(link);
    assert.equal(res.status, 200);
    const text = pageText(await res.text());
    assert.ok(text.includes(`Whoops.. ${target} is now used by another account. Your e-mail address was not changed.`), text);
    assert.deepEqual(await emailClaims(browser, user.id), { idToken: [user.email, true], userinfo: [user.email, true] });
    const again = pageText(await (await server.browser().get(link)).text());
    assert.ok(again.includes('Whoops.. Your email is already confirmed.'), again);
    assert.ok(!pageText(await (await browser.get('/user/account/')).text()).includes('Waiting for confirmation'), 'the pending change is dropped');
  });

  test('#17 item 5: a link older than 12 hours is refused, and the change dropped', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const target = address('late');
    await changeEmail(browser, user, target);
    const link = linkIn((await mailbox.next(target)).text, `${server.url}/user/`);
    // The clock cannot be moved over HTTP: age the code in the database.
    await server.database.db.update(userActivationCodes).set({ createdAt: new Date(Date.now() - 12 * 3600 * 1000 - 60_000) })
      .where(eq(userActivationCodes.userId, user.id));
    const text = pageText(await (await server.browser().get(link)).text());
    assert.ok(text.includes('Whoops... This link has expired. Your e-mail address was not changed'), text);
    assert.deepEqual(await emailClaims(browser, user.id), { idToken: [user.email, true], userinfo: [user.email, true] });
    assert.ok(!pageText(await (await browser.get('/user/account/')).text()).includes('Waiting for confirmation'));
  });

  test('#17 item 5: only the latest link works, and re-entering the current address cancels the change', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const first = address('first');
    const second = address('second');
    await changeEmail(browser, user, first);
    const firstLink = linkIn((await mailbox.next(first)).text, `${server.url}/user/`);
    await changeEmail(browser, user, second);
    const secondLink = linkIn((await mailbox.next(second)).text, `${server.url}/user/`);
    assert.ok(pageText(await (await server.browser().get(firstLink)).text()).includes('Whoops.. This link is no longer valid.'));

    const page = await changeEmail(browser, user, user.email.toUpperCase());
    assert.ok(pageText(page).includes('Information successfully updated!'));
    assert.ok(!pageText(page).includes('Waiting for confirmation'));
    assert.ok(pageText(await (await server.browser().get(secondLink)).text()).includes('Whoops.. Your email is already confirmed.'), 'the cancelled link is dead');
    assert.deepEqual(await emailClaims(browser, user.id), { idToken: [user.email, true], userinfo: [user.email, true] });
    await mailbox.expectNone(second, 300);
  });

  test('a changed address cannot be one that another account already uses', async () => {
    const other = await server.make.user();
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const page = await changeEmail(browser, user, other.email.toUpperCase());
    assert.equal(fieldError(page, 'email'), 'A user with that email already exists.');
    await mailbox.expectNone(other.email, 300);
  });
});

describe('changing the e-mail address: rate limits', () => {
  test('#17 item 5: the confirmation mails to new addresses share the limits of the forms that send e-mail', async (t) => {
    const limited = await startServerWithMailbox(t, { DJAM_ACCOUNT_MAIL_RATE_LIMIT: '2' });
    const user = await limited.server.make.user();
    const browser = await limited.server.signIn(user.email, user.password);
    const target = address('victim');
    const submit = (email: string) => browser.submitForm(`/user/account/edit/${user.id}/`, { first_name: 'A', last_name: 'B', email, secondary_email: '' });
    for (let i = 0; i < 2; i++) assert.equal((await submit(target)).status, 200);
    const blocked = await submit(target.toUpperCase());
    assert.equal(blocked.status, 429);
    assert.match(await blocked.text(), /role="alert"[^>]*>Too many attempts\. Wait a few minutes and try again\./);
    await limited.mailbox.next(target);
    await limited.mailbox.next(target);
    await limited.mailbox.expectNone(target, 500);
    assert.equal((await submit(user.email)).status, 200, 'saving without a change of address is not limited');
  });
});
