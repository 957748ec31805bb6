// The account page (docs/compatibility.md §6.9): guards, the profile form (an e-mail change, confirmed by mail, and
// its notices to the old address; email-change.test.ts has the rest), the ?fix_error alert, and
// the Resources section behind the dashboard flags, where the user creates, renews, rotates and
// revokes their own resource keys.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { listKeysOfUser } from '../../src/api-keys/index.ts';
import { findUser } from '../../src/users/index.ts';
import type { Browser } from '../helpers/cookie-jar.ts';
import { linkIn, startServerWithMailbox, type Mailbox } from '../helpers/mailbox.ts';
import { fieldError, pageText } from '../helpers/page-text.ts';
import type { TeardownContext, TestServer } from '../helpers/start-server.ts';

const UPDATED = 'Information successfully updated!';
const FIX_ERROR = 'User data cannot be empty! Fill the form and try again!';
const email = (tag: string) => `${tag}-${randomBytes(3).toString('hex')}@example.com`;

// The file-level before()'s context: each describe's server hands its teardown to this context's
// after(), which runs once the file's tests are done (a describe's own before() has no after()).
let file: TeardownContext;
before((t) => { file = t; });

describe('account page and profile form (dashboard flags off)', () => {
  let server: TestServer;
  let mailbox: Mailbox;
  before(async () => ({ server, mailbox } = await startServerWithMailbox(file)));

  it('only the signed-in user sees their own page', async () => {
    const alice = await server.make.user();
    const bob = await server.make.user();
    const anonymous = await server.browser().get('/user/account/');
    assert.equal(anonymous.status, 302);
    assert.equal(anonymous.headers.get('location'), `${server.url}/accounts/login/?next=%2Fuser%2Faccount%2F`);
    const browser = await server.signIn(alice.email, alice.password);
    for (const path of ['/user/account/', `/user/account/${alice.id}/`, `/user/account/edit/${alice.id}/`]) {
      const res = await browser.get(path);
      assert.equal(res.status, 200, path);
      const page = await res.text();
      assert.ok(page.includes(`value="${alice.email}"`), path);
      assert.match(page, new RegExp(`action="/user/account/edit/${alice.id}/"`));
      assert.match(page, /href="\/accounts\/password_change\/"/, 'the Change password link');
      assert.doesNotMatch(page, /Resources/, 'no Resources section with both flags off');
    }
    assert.equal((await browser.get(`/user/account/${bob.id}/`)).status, 403);
    assert.equal((await browser.get(`/user/account/edit/${bob.id}/`)).status, 403);
    assert.equal((await browser.get('/user/account/abc/')).status, 404);
    assert.equal((await browser.get(`/user/account/${'9'.repeat(40)}/`)).status, 404);
    const post = await browser.submitForm(`/user/account/edit/${alice.id}/`, { first_name: 'X', last_name: 'Y', email: alice.email }, `/user/account/edit/${bob.id}/`);
    assert.equal(post.status, 403);
    assert.equal((await findUser({ db: server.database.db }, bob.id))!.firstName, 'Test', 'bob is untouched');
  });

  it('saves names at once and a new e-mail once confirmed: the username follows and the old address is told', async () => {
    const user = await server.make.user({ firstName: 'Old', lastName: 'Name' });
    const browser = await server.signIn(user.email, user.password);
    const path = `/user/account/edit/${user.id}/`;
    const newAddress = email('New.Address').replace('example.com', 'Example.ORG');
    const normalised = newAddress.replace('Example.ORG', 'example.org');
    const res = await browser.submitForm(path, { first_name: 'Barbara', last_name: 'Liskov', email: newAddress, secondary_email: 'spare@example.net' });
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.ok(pageText(page).includes(`${UPDATED} We have sent a confirmation link to ${normalised}.`));
    assert.ok(page.includes(`value="${user.email}"`), 'the address in force until the link is followed');

    const pending = await findUser({ db: server.database.db }, user.id);
    assert.deepEqual([pending!.firstName, pending!.lastName, pending!.secondaryEmail], ['Barbara', 'Liskov', 'spare@example.net']);
    assert.deepEqual([pending!.email, pending!.username, pending!.pendingEmail], [user.email, user.username, normalised]);

    const requested = await mailbox.next(user.email);
    assert.equal(requested.subject, `Email change requested on ${new URL(server.url).host}`);
    assert.match(requested.text, /Dear Barbara Liskov,/);
    await browser.get(linkIn((await mailbox.next(normalised)).text, `${server.url}/user/`));

    const stored = await findUser({ db: server.database.db }, user.id);
    assert.equal(stored!.email, normalised);
    assert.equal(stored!.username, normalised, 'the username follows the e-mail');
    assert.equal(stored!.pendingEmail, null);
    assert.equal(stored!.emailConfirmed, true, 'the link confirmed the new address');
    const notice = await mailbox.next(user.email);
    assert.equal(notice.subject, `Email change on ${new URL(server.url).host}`);
    assert.match(notice.text, /Dear Barbara Liskov,/);
    assert.ok(notice.text.includes(normalised));

    assert.equal((await server.browser().submitForm('/accounts/login/', { username: normalised, password: user.password })).status, 302, 'sign in with the new address');
    const namesOnly = await browser.submitForm(path, { first_name: 'Barbara J.', last_name: 'Liskov', email: normalised, secondary_email: '' });
    assert.ok(pageText(await namesOnly.text()).includes(UPDATED));
    await mailbox.expectNone(normalised, 300);
    assert.equal((await findUser({ db: server.database.db }, user.id))!.secondaryEmail, null);
  });

  it('bad input re-renders the form with its messages; empty fields raise the fix_error alert', async () => {
    const taken = await server.make.user();
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const path = `/user/account/edit/${user.id}/`;
    const base = { first_name: 'Ok', last_name: 'Fine', email: user.email, secondary_email: '' };
    const cases: Array<[Record<string, string>, string, string, boolean]> = [
      [{ first_name: '' }, 'first_name', 'This field is required.', true],
      [{ email: '' }, 'email', 'This field is required.', true],
      [{ email: 'broken@' }, 'email', 'Enter a valid email address.', false],
      [{ email: taken.email.toUpperCase() }, 'email', 'A user with that email already exists.', false],
      [{ secondary_email: 'x' }, 'secondary_email', 'Enter a valid email address.', false],
      [{ last_name: 'x'.repeat(151) }, 'last_name', 'Ensure this value has at most 150 characters (it has 151).', false],
    ];
    for (const [change, name, message, fixError] of cases) {
      const res = await browser.submitForm(path, { ...base, ...change });
      assert.equal(res.status, 200);
      const page = await res.text();
      assert.equal(fieldError(page, name), message);
      assert.equal(pageText(page).includes(FIX_ERROR), fixError, `fix_error alert for ${name}`);
      assert.ok(!pageText(page).includes(UPDATED));
    }
    assert.equal((await findUser({ db: server.database.db }, user.id))!.email, user.email, 'nothing saved');
    const alert = await (await browser.get(`/user/account/${user.id}/?fix_error=1`)).text();
    assert.match(alert, new RegExp(`role="alert">${FIX_ERROR}`));
    assert.equal((await browser.post(path, base)).status, 403, 'CSRF');
  });

  it('the key actions do not exist while the keys flag is off', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const res = await browser.submitForm('/user/account/', {}, '/user/account/keys/');
    assert.equal(res.status, 404);
  });
});

describe('Resources section (both dashboard flags on)', () => {
  let server: TestServer;
  before(async () => ({ server } = await startServerWithMailbox(file, {
    DJAM_SHOW_API_KEYS_IN_DASHBOARD: 'true', DJAM_SHOW_UPSTREAM_SERVICES_IN_DASHBOARD: 'true', DJAM_APIKEY_EXPIRE_DAYS: '10',
  })));

  const keyValues = (page: string) => [...page.matchAll(/<code>([0-9a-f-]{36})<\/code>/g)].map((m) => m[1]);
  async function act(browser: Browser, userId: number, action: string): Promise<string> {
    const res = await browser.submitForm('/user/account/', {}, action);
    assert.equal(res.status, 302, action);
    const target = res.headers.get('location')!;
    assert.match(target, new RegExp(`^/user/account/${userId}/\\?keys=`));
    return (await browser.get(target)).text();
  }

  it('shows the empty texts for a user with nothing', async () => {
    const user = await server.make.user();
    const page = await (await (await server.signIn(user.email, user.password)).get('/user/account/')).text();
    const text = pageText(page);
    for (const s of ['Resources', 'Upstream services', 'There aren\'t available upstream services.', 'API keys', 'There aren\'t API Key configured.']) assert.ok(text.includes(s), s);
  });

  it('lists the usable services by slug and only the active resource keys', async () => {
    const user = await server.make.user();
    const role = await server.make.role(`viewers-${randomBytes(2).toString('hex')}`, { userIds: [user.id] });
    const zeta = await server.make.resource({ slug: `zeta-${randomBytes(2).toString('hex')}`, url: 'http://127.0.0.1:9/z', type: 'Upstream Service', description: 'Tiles & maps' });
    const alpha = await server.make.resource({ slug: `alpha-${randomBytes(2).toString('hex')}`, url: 'http://127.0.0.1:9/a', type: 'Upstream Service' });
    const hidden = await server.make.resource({ slug: `hidden-${randomBytes(2).toString('hex')}`, url: 'http://127.0.0.1:9/h', type: 'Upstream Service' });
    await server.make.rule(zeta.id, role.id, true);
    await server.make.rule(alpha.id, role.id, true);
    await server.make.rule(hidden.id, role.id, false);
    const active = await server.make.apiKey(user.id, 'resource');
    const revoked = await server.make.apiKey(user.id, 'resource', { revoked: true });
    const expired = await server.make.apiKey(user.id, 'resource', { expiryDays: -1 });
    const management = await server.make.apiKey(user.id, 'management');

    const page = await (await (await server.signIn(user.email, user.password)).get(`/user/account/${user.id}/`)).text();
    const text = pageText(page);
    assert.ok(page.includes(`<a href="${server.url}/service/${alpha.slug}">${alpha.slug}</a>`));
    assert.ok(text.includes(`${zeta.slug} - Tiles & maps`));
    assert.ok(text.indexOf(alpha.slug) < text.indexOf(zeta.slug), 'sorted by slug');
    assert.ok(!text.includes(hidden.slug), 'an inactive rule opens nothing');
    assert.deepEqual(keyValues(page), [active.key]);
    assert.ok(![revoked.key, expired.key, management.key].some((k) => page.includes(k)));
    assert.match(text, /expires \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  });

  it('creates, renews, rotates and revokes the user\'s own keys from the page', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const resourceKeys = () => listKeysOfUser({ db: server.database.db, keys: server.keys }, user.id, 'resource');

    let page = await act(browser, user.id, '/user/account/keys/');
    assert.ok(pageText(page).includes('A new API key was created.'));
    const [created] = keyValues(page);
    assert.ok(created);
    const [row] = await resourceKeys();
    assert.equal(row.key, created);
    const days = (row.expiry.getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 9.9 && days <= 10, 'DJAM_APIKEY_EXPIRE_DAYS from now');

    await server.database.db.execute(`update api_keys set expiry = now() + interval '1 day' where id = ${row.id}`);
    page = await act(browser, user.id, `/user/account/keys/${row.id}/renew/`);
    assert.ok(pageText(page).includes('The API key was renewed.'));
    const renewed = (await resourceKeys())[0];
    assert.ok((renewed.expiry.getTime() - Date.now()) / 86_400_000 > 9.9, 'renew = now + DJAM_APIKEY_EXPIRE_DAYS');

    page = await act(browser, user.id, `/user/account/keys/${row.id}/rotate/`);
    assert.ok(pageText(page).includes('The API key was replaced by a new one; the old key no longer works.'));
    const [rotated] = keyValues(page);
    assert.ok(rotated && rotated !== created);
    const afterRotate = await resourceKeys();
    assert.equal(afterRotate.length, 2);
    assert.equal(afterRotate.find((k) => k.key === created)!.revoked, true, 'the old key is revoked');
    const fresh = afterRotate.find((k) => k.key === rotated)!;
    assert.equal(fresh.revoked, false);

    page = await act(browser, user.id, `/user/account/keys/${fresh.id}/revoke/`);
    assert.ok(pageText(page).includes('The API key was revoked.'));
    assert.deepEqual(keyValues(page), []);
    assert.ok(pageText(page).includes('There aren\'t API Key configured.'));
    assert.ok((await resourceKeys()).every((k) => k.revoked));

    assert.equal((await browser.submitForm('/user/account/', {}, `/user/account/keys/${fresh.id}/renew/`)).status, 404, 'a revoked key is no longer managed here');
  });

  it('refuses other users\' keys, management keys, unknown actions and forged forms', async () => {
    const user = await server.make.user();
    const other = await server.make.user();
    const theirs = await server.make.apiKey(other.id, 'resource');
    const management = await server.make.apiKey(user.id, 'management');
    const mine = await server.make.apiKey(user.id, 'resource');
    const browser = await server.signIn(user.email, user.password);
    for (const path of [`/user/account/keys/${theirs.id}/revoke/`, `/user/account/keys/${management.id}/renew/`, `/user/account/keys/${mine.id}/delete/`, '/user/account/keys/abc/revoke/']) {
      const res = await browser.submitForm('/user/account/', {}, path);
      assert.equal(res.status, 404, path);
    }
    assert.equal((await browser.post(`/user/account/keys/${mine.id}/revoke/`, {})).status, 403, 'CSRF');
    const anonymous = await server.browser().post(`/user/account/keys/${mine.id}/revoke/`, {});
    assert.equal(anonymous.status, 302, 'anonymous: to the login page');
    const otherKeys = await listKeysOfUser({ db: server.database.db, keys: server.keys }, other.id, 'resource');
    assert.equal(otherKeys[0].revoked, false);
    const mineNow = await listKeysOfUser({ db: server.database.db, keys: server.keys }, user.id, 'resource');
    assert.equal(mineNow[0].revoked, false);
  });
});
