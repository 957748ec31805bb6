// #22 multi-factor sign-in over real HTTP: an authenticator app enrolled from the Security page
// with codes computed here from the secret the page shows, the second step, recovery codes, the
// throttle, re-authentication, and what applications see (amr/acr, step-up) through openid-client.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import * as client from 'openid-client';
import { Secret, TOTP } from 'otpauth';
import type { Browser } from '../helpers/cookie-jar.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';
import { mfaFactors, sessions } from '../../src/db/schema.ts';
import { announceChange, confirmAnnounced, trackAnnouncements } from '../../src/db/change-feed.ts';
import { lookupHash, seal } from '../../src/crypto/keys.ts';

const CALLBACK = 'http://localhost:8100/cb';
const insecure = { execute: [client.allowInsecureRequests] };
let server: TestServer;

before(async (t) => {
  server = await startTestServer(t);
});

/** The code an authenticator app shows for `secret`, `stepsAhead` steps of 30 s from now. */
function codeFor(secret: string, stepsAhead = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

/** The server drops its cached copy of a session changed behind its back, before the test goes on (PostgreSQL's NOTIFY is asynchronous). */
const dropCachedSession = (hash: string) => trackAnnouncements(server.app.changes, async () => {
  await announceChange(server.database.db, 'session', hash);
  await confirmAnnounced();
});
const csrfOf = (page: string) => /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page)![1];

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

let apps = 0;
async function rp(extra: Record<string, unknown> = {}) {
  // The client may introspect its own tokens (docs/compatibility.md §3.5: its scope names itself).
  const clientId = `mfa-app-${++apps}`;
  const { client: row, clientSecret } = await server.make.client({ clientId, clientType: 'confidential', scope: `openid email token_introspection ${clientId}`, requireConsent: false, redirectUris: [CALLBACK], ...extra });
  return { clientId: row.clientId, config: await client.discovery(new URL(`${server.url}/openid`), row.clientId, undefined, client.ClientSecretBasic(clientSecret!), insecure) };
}

/** Follows redirects inside DJAM until the callback, or a page of ours that is not a redirect. */
async function walk(browser: Browser, location: string): Promise<{ url: URL; res?: Response }> {
  let url = new URL(location, server.url);
  for (let hops = 0; hops < 10; hops++) {
    if (url.href.startsWith(CALLBACK)) return { url };
    const res = await browser.get(url.pathname + url.search);
    if (![302, 303].includes(res.status)) return { url, res };
    url = new URL(res.headers.get('location')!, url);
  }
  assert.fail('too many redirects');
}

async function authorize(browser: Browser, app: Awaited<ReturnType<typeof rp>>, params: Record<string, string> = {}) {
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(app.config, { redirect_uri: CALLBACK, scope: 'openid email', state, nonce, ...params });
  const exchange = (callback: URL) => client.authorizationCodeGrant(app.config, callback, { expectedState: state, expectedNonce: nonce, idTokenExpected: true });
  return { start: url.pathname + url.search, exchange };
}

describe('#22 authenticator app and second step', () => {
  test('#22 enrol with a code computed from the shown secret; the seed is sealed at rest; the next sign-in asks for a code, and a replayed code is refused', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    assert.match(await (await browser.get(`/user/account/${user.id}/`)).text(), /href="\/accounts\/security\/"/, 'the account page links the Security page');
    const { secret, codes } = await enrolTotp(browser);
    const download = await browser.get('/accounts/security/recovery-codes.txt');
    assert.equal(download.status, 200);
    assert.match(download.headers.get('content-type')!, /^text\/plain/);
    assert.deepEqual((await download.text()).trim().split('\n'), codes, 'one code per line');
    await browser.get('/accounts/security/'); // leaving the moment: the codes are not shown again
    assert.equal((await browser.get('/accounts/security/recovery-codes.txt')).status, 404);
    assert.doesNotMatch(await (await browser.get('/accounts/security/recovery-codes/')).text(), /<li><code>/);
    const [row] = await server.database.db.select().from(mfaFactors).where(eq(mfaFactors.userId, user.id));
    assert.ok(row.secretSealed && !row.secretSealed.includes(secret), 'the seed is stored sealed');
    const fresh = server.browser();
    const afterPassword = await signInWithPassword(fresh, user, '/accounts/security/');
    assert.equal(afterPassword.status, 302);
    const verify = afterPassword.headers.get('location')!;
    assert.equal(verify, `/accounts/login/verify/?next=${encodeURIComponent('/accounts/security/')}`);
    assert.equal(fresh.cookie('djam_sessionid'), undefined, 'no session before the second step');
    const page = await (await fresh.get(verify)).text();
    assert.match(page, /<input[^>]+name="code"/);
    const replay = await submitCode(fresh, verify, codeFor(secret));
    assert.equal(replay.status, 200, 'the code that confirmed the enrolment is spent');
    assert.equal(fresh.cookie('djam_sessionid'), undefined);
    const nextCode = codeFor(secret, 1); // the app's next code (±1 step of drift is accepted)
    const ok = await submitCode(fresh, verify, nextCode);
    assert.equal(ok.status, 302);
    assert.equal(ok.headers.get('location'), '/accounts/security/', 'the pending next is kept');
    assert.ok(fresh.cookie('djam_sessionid'));

    const again = server.browser();
    const location = (await signInWithPassword(again, user)).headers.get('location')!;
    assert.equal((await submitCode(again, location, nextCode)).status, 200, 'a code is accepted once');
    assert.equal(again.cookie('djam_sessionid'), undefined);
  });

  test('#22 a recovery code signs in once; ids tokens say amr ["pwd","otp","mfa"] after a TOTP and ["pwd","mfa"] after a recovery code', async () => {
    const user = await server.make.user();
    const { secret, codes } = await enrolTotp(await server.signIn(user.email, user.password));
    const app = await rp();

    const viaTotp = server.browser();
    const flow = await authorize(viaTotp, app);
    const login = await walk(viaTotp, flow.start);
    assert.equal(login.url.pathname, '/accounts/login/');
    const verify = (await signInWithPassword(viaTotp, user, login.url.searchParams.get('next')!)).headers.get('location')!;
    const afterCode = await submitCode(viaTotp, verify, codeFor(secret, 1));
    const callback = await walk(viaTotp, afterCode.headers.get('location')!);
    const tokens = await flow.exchange(callback.url);
    assert.deepEqual(tokens.claims()!.amr, ['pwd', 'otp', 'mfa']);
    assert.equal(tokens.claims()!.acr, 'urn:djam:acr:mfa');
    const introspected = await client.tokenIntrospection(app.config, tokens.access_token);
    assert.deepEqual(introspected.amr, ['pwd', 'otp', 'mfa'], 'introspection tells the methods');
    const userinfo = await client.fetchUserInfo(app.config, tokens.access_token, String(tokens.claims()!.sub));
    assert.deepEqual([userinfo.acr, userinfo.amr], ['urn:djam:acr:mfa', ['pwd', 'otp', 'mfa']], 'userinfo tells them too');

    const viaRecovery = server.browser();
    const flow2 = await authorize(viaRecovery, app);
    const login2 = await walk(viaRecovery, flow2.start);
    const verify2 = (await signInWithPassword(viaRecovery, user, login2.url.searchParams.get('next')!)).headers.get('location')!;
    const used = await submitCode(viaRecovery, verify2, codes[3].toUpperCase());
    assert.equal(used.status, 302, 'a recovery code, typed in capitals, signs in');
    const tokens2 = await flow2.exchange((await walk(viaRecovery, used.headers.get('location')!)).url);
    assert.deepEqual(tokens2.claims()!.amr, ['pwd', 'mfa']);
    assert.equal(tokens2.claims()!.acr, 'urn:djam:acr:mfa');

    const reuse = server.browser();
    const verify3 = (await signInWithPassword(reuse, user)).headers.get('location')!;
    assert.equal((await submitCode(reuse, verify3, codes[3])).status, 200, 'a recovery code used is gone');
    assert.equal(reuse.cookie('djam_sessionid'), undefined);
  });

  test('#22 failed codes are throttled with the shared limits: 429 and Retry-After, even for the right code', async () => {
    const user = await server.make.user();
    const { secret } = await enrolTotp(await server.signIn(user.email, user.password));
    const browser = server.browser();
    const verify = (await signInWithPassword(browser, user)).headers.get('location')!;
    for (let i = 0; i < server.config.DJAM_LOGIN_DELAY_AFTER; i++) assert.equal((await submitCode(browser, verify, 'abcdefgh')).status, 200);
    const limited = await submitCode(browser, verify, codeFor(secret, 1));
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal(browser.cookie('djam_sessionid'), undefined);
    const [audit] = (await server.database.db.execute(sql`select count(*)::int as n from audit_log where action = 'mfa.second-step-failed' and entity_id = ${String(user.id)}`) as unknown as { rows: Array<{ n: number }> }).rows;
    assert.equal(audit.n, server.config.DJAM_LOGIN_DELAY_AFTER, 'each failed second step is audited');
  });

  test('#22 removing a factor needs a sign-in from the last 5 minutes: an older session confirms with the password first', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    await enrolTotp(browser);
    const security = await (await browser.get('/accounts/security/')).text();
    const action = /action="(\/accounts\/security\/factors\/\d+\/remove)"/.exec(security)![1];
    await server.database.db.update(sessions).set({ verifiedAt: new Date(Date.now() - 6 * 60_000) }).where(eq(sessions.userId, user.id));
    await dropCachedSession(lookupHash(server.keys, browser.cookie('djam_sessionid')!)); // every node's cached copy goes
    const refused = await browser.post(action, { csrfmiddlewaretoken: csrfOf(security) });
    assert.equal(refused.status, 302);
    assert.match(refused.headers.get('location')!, /^\/accounts\/security\/confirm\//);
    assert.equal((await server.database.db.select().from(mfaFactors).where(eq(mfaFactors.userId, user.id))).length, 1, 'nothing removed');
    const wrong = await browser.submitForm(refused.headers.get('location')!, { password: 'not it' });
    assert.equal(wrong.status, 200);
    const confirmed = await browser.submitForm(refused.headers.get('location')!, { password: user.password });
    assert.equal(confirmed.status, 302);
    const page = await (await browser.get('/accounts/security/')).text();
    assert.equal((await browser.post(action, { csrfmiddlewaretoken: csrfOf(page) })).status, 303);
    assert.equal((await server.database.db.select().from(mfaFactors).where(eq(mfaFactors.userId, user.id))).length, 0);
    // With no factor left, the password alone signs in again.
    assert.equal((await signInWithPassword(server.browser(), user)).headers.get('location'), `/user/account/edit/${user.id}/`);
  });

  test('#22 review: adding a factor needs a fresh sign-in too: an old session cannot add its own app or passkey (and then remove the owner\'s)', async () => {
    const owner = await server.make.user();
    const stolen = await server.signIn(owner.email, owner.password);
    await enrolTotp(stolen);
    const security = await (await stolen.get('/accounts/security/')).text();
    await server.database.db.update(sessions).set({ verifiedAt: new Date(Date.now() - 60 * 60_000) }).where(eq(sessions.userId, owner.id));
    await dropCachedSession(lookupHash(server.keys, stolen.cookie('djam_sessionid')!));
    const page = await stolen.get('/accounts/security/totp/');
    assert.equal(page.status, 302, 'the enrolment page sends an old session to confirm first');
    assert.match(page.headers.get('location')!, /^\/accounts\/security\/confirm\/\?next=%2Faccounts%2Fsecurity%2Ftotp%2F/);
    const added = await stolen.post('/accounts/security/totp/', { csrfmiddlewaretoken: csrfOf(security), code: '123456' });
    assert.equal(added.status, 302);
    assert.match(added.headers.get('location')!, /^\/accounts\/security\/confirm\//);
    const passkey = await stolen.fetch('/accounts/security/passkeys/options', {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-csrftoken': csrfOf(security) }, body: '{}',
    });
    assert.equal(passkey.status, 403);
    assert.equal((await passkey.json() as { error: string }).error, 'MFA_REAUTHENTICATION_REQUIRED');
    assert.equal((await server.database.db.select().from(mfaFactors).where(eq(mfaFactors.userId, owner.id))).length, 1, 'only the owner\'s app');
    // Still old: removing the owner's app is refused as before, so nothing was gained.
    const action = /action="(\/accounts\/security\/factors\/\d+\/remove)"/.exec(security)![1];
    assert.match((await stolen.post(action, { csrfmiddlewaretoken: csrfOf(security) })).headers.get('location')!, /^\/accounts\/security\/confirm\//);
  });
});

describe('#22 what applications see', () => {
  test('#22 discovery lists acr_values_supported; a password-only session gets acr pwd, and acr_values=urn:djam:acr:mfa steps it up (enrolling first), keeping auth_time', async () => {
    const meta = await (await fetch(`${server.url}/openid/.well-known/openid-configuration`)).json() as { acr_values_supported?: string[] };
    assert.deepEqual(meta.acr_values_supported, ['urn:djam:acr:pwd', 'urn:djam:acr:mfa']);
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const app = await rp();

    const plain = await authorize(browser, app, { max_age: '86400' });
    const tokens = await plain.exchange((await walk(browser, plain.start)).url);
    assert.deepEqual(tokens.claims()!.amr, ['pwd']);
    assert.equal(tokens.claims()!.acr, 'urn:djam:acr:pwd');
    const authTime = tokens.claims()!.auth_time;

    const stepUp = await authorize(browser, app, { acr_values: 'urn:djam:acr:mfa', max_age: '86400' });
    const enrol = await walk(browser, stepUp.start);
    assert.equal(enrol.url.pathname, '/accounts/security/totp/', 'no factor yet: enrolment first');
    const body = await enrol.res!.text();
    const secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(body)![1];
    const done = await browser.post(enrol.url.pathname + enrol.url.search, { csrfmiddlewaretoken: csrfOf(body), code: codeFor(secret) });
    const codesPage = new URL(done.headers.get('location')!, server.url);
    assert.equal(codesPage.pathname, '/accounts/security/recovery-codes/');
    const next = codesPage.searchParams.get('next')!;
    const stepped = await stepUp.exchange((await walk(browser, next)).url);
    assert.deepEqual(stepped.claims()!.amr, ['pwd', 'otp', 'mfa']);
    assert.equal(stepped.claims()!.acr, 'urn:djam:acr:mfa');
    assert.equal(stepped.claims()!.auth_time, authTime, 'auth_time stays the sign-in');
  });

  test('#22 a client registered with default_acr_values ["urn:djam:acr:mfa"] always asks for the second factor', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const strict = await rp({ protocol: { default_acr_values: ['urn:djam:acr:mfa'] } });
    const flow = await authorize(browser, strict);
    const stop = await walk(browser, flow.start);
    assert.equal(stop.url.pathname, '/accounts/security/totp/', 'no acr_values in the request, still the second factor (enrolment first)');
  });

  test('#22 a session with a factor but only a password is asked for the code before the code is issued', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const { secret } = await enrolTotp(server.browser().cookies.size ? browser : await server.signIn(user.email, user.password));
    // A session from before the factor existed: only the password.
    const old = server.browser();
    const pending = await signInWithPassword(old, user);
    assert.match(pending.headers.get('location')!, /verify/);
    await server.database.db.delete(mfaFactors).where(eq(mfaFactors.userId, user.id));
    const pwdOnly = await server.signIn(user.email, user.password);
    await server.database.db.insert(mfaFactors).values({ userId: user.id, kind: 'totp', name: 'Authenticator app', secretSealed: seal(server.keys, secret), lastStep: 0 });
    const app = await rp();
    const stepUp = await authorize(pwdOnly, app, { acr_values: 'urn:djam:acr:mfa' });
    const verify = await walk(pwdOnly, stepUp.start);
    assert.equal(verify.url.pathname, '/accounts/login/verify/');
    const ok = await submitCode(pwdOnly, verify.url.pathname + verify.url.search, codeFor(secret, 1));
    assert.equal(ok.status, 302);
    const tokens = await stepUp.exchange((await walk(pwdOnly, ok.headers.get('location')!)).url);
    assert.deepEqual(tokens.claims()!.amr, ['pwd', 'otp', 'mfa']);
  });
});

/** A signed-in staff member calling the admin API with the session cookie and its CSRF token. */
async function adminCaller() {
  const staff = await server.make.user({ isStaff: true });
  const browser = await server.signIn(staff.email, staff.password);
  return (method: string, path: string, body?: unknown) => browser.fetch(path, {
    method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), 'x-csrftoken': browser.cookie('XSRF-TOKEN')! },
  });
}

describe('#22 policy', () => {
  test('#22 an administrator\'s password-only session stops reaching the admin API once they have a second factor; a new sign-in through the second step does', async () => {
    const staff = await server.make.user({ isStaff: true });
    const old = await server.signIn(staff.email, staff.password);
    assert.equal((await old.get('/api/admin/session', { accept: 'application/json' })).status, 200);
    const { secret } = await enrolTotp(await server.signIn(staff.email, staff.password));
    const refused = await old.get('/api/admin/session', { accept: 'application/json' });
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { error: string }).error, 'MFA_REQUIRED');
    const fresh = server.browser();
    const verify = (await signInWithPassword(fresh, staff)).headers.get('location')!;
    assert.equal((await submitCode(fresh, verify, codeFor(secret, 1))).status, 302);
    assert.equal((await fresh.get('/api/admin/session', { accept: 'application/json' })).status, 200);
  });

  test('#22 Basic-auth doors refuse a user with a second factor, saying why: the DRF endpoints and GeoServer\'s credentials introspection', async () => {
    const user = await server.make.user();
    await enrolTotp(await server.signIn(user.email, user.password));
    const basic = `Basic ${Buffer.from(`${user.email}:${user.password}`).toString('base64')}`;
    const groups = await fetch(`${server.url}/api/privilege/groups/`, { headers: { authorization: basic, accept: 'application/json' } });
    assert.equal(groups.status, 403);
    assert.match(((await groups.json()) as { detail: string }).detail, /second factor/);
    const b64 = (v: string) => encodeURIComponent(Buffer.from(v).toString('base64'));
    const introspected = await fetch(`${server.url}/openid/credentials/introspect/?u=${b64(user.username)}&p=${b64(user.password)}`, { headers: { accept: 'application/json' } });
    assert.equal(introspected.status, 403);
    assert.match(JSON.stringify(await introspected.json()), /^\{"username":null,"groups":null,"detail":"[^"]*API key/);
    const other = await server.make.user();
    const plain = await fetch(`${server.url}/api/privilege/groups/`, { headers: { authorization: `Basic ${Buffer.from(`${other.email}:${other.password}`).toString('base64')}`, accept: 'application/json' } });
    assert.equal(plain.status, 200, 'a user without a factor still may');
  });

  test('#22 an administrator sees a user\'s factors and resets them: the user signs in with the password alone again (and the reset is audited)', async () => {
    const user = await server.make.user();
    await enrolTotp(await server.signIn(user.email, user.password));
    const staff = await adminCaller();
    const seen = await (await staff('GET', `/api/admin/users/${user.id}/mfa`)).json() as { factors: Array<{ kind: string }>; unused_recovery_codes: number; required: boolean };
    assert.deepEqual(seen.factors.map((f) => f.kind), ['totp']);
    assert.equal(seen.unused_recovery_codes, 10);
    assert.equal(seen.required, false);
    const member = server.browser();
    await signInWithPassword(member, (await server.make.user()));
    const refused = await member.fetch(`/api/admin/users/${user.id}/mfa/reset`, { method: 'POST', headers: { 'x-csrftoken': member.cookie('XSRF-TOKEN')! } });
    assert.equal(refused.status, 403, 'a plain user cannot reset anyone\'s factors');
    const reset = await staff('POST', `/api/admin/users/${user.id}/mfa/reset`);
    assert.deepEqual(await reset.json(), { removed_factors: 1 });
    assert.equal((await signInWithPassword(server.browser(), user)).headers.get('location'), `/user/account/edit/${user.id}/`);
    const [audit] = (await server.database.db.execute(sql`select count(*)::int as n from audit_log where action = 'mfa.reset' and entity_id = ${String(user.id)}`) as unknown as { rows: Array<{ n: number }> }).rows;
    assert.equal(audit.n, 1);
    const types = (await server.database.db.execute(sql`select type from events where user_id = ${user.id} and type like 'user.mfa_%' order by id`) as unknown as { rows: Array<{ type: string }> }).rows.map((r) => r.type);
    assert.deepEqual(types, ['user.mfa_enrolled', 'user.mfa_recovery_codes_generated', 'user.mfa_reset'], 'and in the event log (#21)');
  });

  test('#22 a team that requires MFA takes its member to enrolment right after the password, then where they were going', async () => {
    const user = await server.make.user();
    const team = await server.make.team(`mfa-team-${user.id}`, [user.id]);
    const staff = await adminCaller();
    assert.deepEqual(await (await staff('PUT', `/api/admin/teams/${team.id}/mfa`, { requires_mfa: true })).json(), { requires_mfa: true });
    assert.equal((await (await staff('GET', `/api/admin/users/${user.id}/mfa`)).json() as { required: boolean }).required, true);
    const browser = server.browser();
    const res = await signInWithPassword(browser, user, '/o/applications/');
    assert.equal(res.headers.get('location'), `/accounts/security/totp/?next=${encodeURIComponent('/o/applications/')}`);
    assert.equal(browser.cookie('djam_sessionid'), undefined, 'no session until a factor is enrolled');
    assert.equal((await browser.get('/accounts/security/')).status, 302, 'nothing else is reachable meanwhile');
    const { landed } = await enrolTotp(browser, res.headers.get('location')!);
    assert.match(landed, /href="\/o\/applications\/"/, 'then back to where they were going');
    assert.ok(browser.cookie('djam_sessionid'));
  });
});
