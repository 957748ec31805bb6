// Sign-up and "resend the activation e-mail" tell nobody which addresses have an account (issue #17
// item 8), as login and password reset already do: whatever the address's state (no account, an
// account confirmed, unconfirmed or inactive), the answer is the same page; what differs is the
// e-mail, which only the address's owner reads.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { findUserByEmail } from '../../src/users/index.ts';
import { linkIn, startServerWithMailbox, type Mailbox } from '../helpers/mailbox.ts';
import { pageText } from '../helpers/page-text.ts';
import type { TestServer } from '../helpers/start-server.ts';

const PASSWORD = 'quartz-meadow-ferry';
const fresh = (tag: string) => `${tag}-${randomBytes(4).toString('hex')}@example.com`;

let server: TestServer;
let mailbox: Mailbox;
let site: string;
before(async (t) => {
  ({ server, mailbox } = await startServerWithMailbox(t, { DJAM_PROJECT_ENVIRONMENT: 'test' }));
  site = new URL(server.url).host;
});

/** One address in each state an attacker would like to tell apart. */
async function addresses() {
  const confirmed = await server.make.user({ firstName: 'Con', lastName: 'Firmed' });
  const unconfirmed = await server.make.user({ emailConfirmed: false });
  const inactive = await server.make.user({ isActive: false });
  return { unknown: fresh('nobody'), confirmed: confirmed.email.toUpperCase(), unconfirmed: unconfirmed.email, inactive: inactive.email, users: { confirmed, unconfirmed, inactive } };
}

/** Everything a client sees of a response but its date and request id: status, headers, body. */
async function observed(res: Response): Promise<{ status: number; headers: Array<[string, string]>; body: string }> {
  const headers = [...res.headers].filter(([name]) => name !== 'date' && name !== 'x-request-id');
  return { status: res.status, headers, body: await res.text() };
}

/** Submits the form from a fresh browser (its own CSRF token, which is then the same in no two answers). */
async function submit(page: string, fields: Record<string, string>) {
  return observed(await server.browser().submitForm(page, fields));
}

function registration(email: string): Record<string, string> {
  return { first_name: 'Eve', last_name: 'Dropper', email, secondary_email: '', password1: PASSWORD, password2: PASSWORD };
}

describe('no account enumeration through the forms that send e-mail', () => {
  test('#17 item 8: sign-up answers byte for byte the same for an unknown, a confirmed, an unconfirmed and an inactive address', async () => {
    const a = await addresses();
    const answers = [];
    for (const email of [a.unknown, a.confirmed, a.unconfirmed, a.inactive]) answers.push(await submit('/user/register/', registration(email)));
    for (const answer of answers.slice(1)) assert.deepEqual(answer, answers[0]);
    assert.equal(answers[0].status, 302);
    assert.deepEqual(answers[0].headers.filter(([name]) => name === 'location'), [['location', '/user/activation_msg_sent/']]);

    const activation = await mailbox.next(a.unknown);
    assert.equal(activation.subject, 'Activate your Account', 'a new address gets its activation link');

    const attempt = await mailbox.next(a.confirmed);
    assert.equal(attempt.subject, `Sign-up attempt on ${site}`);
    assert.match(attempt.text, /already has an account/);
    assert.ok(attempt.text.includes(`${server.url}/accounts/login/`), 'links to sign-in');
    assert.ok(attempt.text.includes(`${server.url}/accounts/password_reset/`), 'and to password reset');
    assert.ok(!attempt.text.includes('/email_confirmation/'), 'no activation link for a confirmed account');

    const unconfirmed = await mailbox.next(a.unconfirmed);
    assert.equal(unconfirmed.subject, `Sign-up attempt on ${site}`);
    const link = linkIn(unconfirmed.text, `${server.url}/user/`);
    assert.match(pageText(await (await server.browser().get(link)).text()), /successfully activated your account/, 'its owner can still activate it');
    await mailbox.expectNone(a.inactive, 300);

    const owner = await findUserByEmail({ db: server.database.db }, a.confirmed);
    assert.deepEqual([owner!.id, owner!.firstName], [a.users.confirmed.id, 'Con'], 'the account is untouched');
    assert.equal((await server.browser().submitForm('/accounts/login/', { username: a.confirmed, password: a.users.confirmed.password })).status, 302, 'the owner\'s password still works');
    assert.equal((await server.browser().submitForm('/accounts/login/', { username: a.confirmed, password: PASSWORD })).status, 200, 'the form\'s password does not');
  });

  test('#17 item 8: resending the activation e-mail answers byte for byte the same whatever the address', async () => {
    const a = await addresses();
    const answers = [];
    for (const email of [a.unknown, a.confirmed, a.unconfirmed, a.inactive]) answers.push(await submit('/user/resend_activation_email/', { email }));
    for (const answer of answers.slice(1)) assert.deepEqual(answer, answers[0]);
    assert.equal(answers[0].status, 302);
    assert.deepEqual(answers[0].headers.filter(([name]) => name === 'location'), [['location', '/user/activation_msg_sent/']]);

    const activation = await mailbox.next(a.unconfirmed);
    assert.equal(activation.subject, 'Activate your Account');
    assert.match(pageText(await (await server.browser().get(linkIn(activation.text, `${server.url}/user/`))).text()), /successfully activated your account/);

    const confirmed = await mailbox.next(a.confirmed);
    assert.equal(confirmed.subject, `Activation request on ${site}`);
    assert.match(confirmed.text, /already confirmed/);
    assert.ok(confirmed.text.includes(`${server.url}/accounts/login/`) && confirmed.text.includes(`${server.url}/accounts/password_reset/`));
    await mailbox.expectNone(a.unknown, 300);
    await mailbox.expectNone(a.inactive, 0);
  });
});
