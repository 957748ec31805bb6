// #22 multi-factor sign-in over real HTTP: an authenticator app enrolled from the Security page
// with codes computed here from the secret the page shows, the second step, recovery codes, the
// throttle, re-authentication, and what applications see (amr/acr, step-up) through openid-client.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import * as client from 'openid-client';
import type { Browser } from '../helpers/cookie-jar.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';
import { codeFor, csrfOf, mfaHelpers } from './mfa.fixture.ts';
import { mfaFactors, sessions } from '../../src/db/schema.ts';
import { lookupHash, seal } from '../../src/crypto/keys.ts';

const CALLBACK = 'http://localhost:8100/cb';
const insecure = { execute: [client.allowInsecureRequests] };
let server: TestServer;

let h: ReturnType<typeof mfaHelpers>;
before(async (t) => {
  server = await startTestServer(t);
  h = mfaHelpers(server);
});

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
    const { secret, codes } = await h.enrolTotp(browser);
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
    const afterPassword = await h.signInWithPassword(fresh, user, '/accounts/security/');
    assert.equal(afterPassword.status, 302);
    const verify = afterPassword.headers.get('location')!;
    assert.equal(verify, `/accounts/login/verify/?next=${encodeURIComponent('/accounts/security/')}`);
    assert.equal(fresh.cookie('djam_sessionid'), undefined, 'no session before the second step');
    const page = await (await fresh.get(verify)).text();
    assert.match(page, /<input[^>]+name="code"/);
    const replay = await h.submitCode(fresh, verify, codeFor(secret));
    assert.equal(replay.status, 200, 'the code that confirmed the enrolment is spent');
    assert.equal(fresh.cookie('djam_sessionid'), undefined);
    const nextCode = codeFor(secret, 1); // the app's next code (±1 step of drift is accepted)
    const ok = await h.submitCode(fresh, verify, nextCode);
    assert.equal(ok.status, 302);
    assert.equal(ok.headers.get('location'), '/accounts/security/', 'the pending next is kept');
    assert.ok(fresh.cookie('djam_sessionid'));

    const again = server.browser();
    const location = (await h.signInWithPassword(again, user)).headers.get('location')!;
    assert.equal((await h.submitCode(again, location, nextCode)).status, 200, 'a code is accepted once');
    assert.equal(again.cookie('djam_sessionid'), undefined);
  });

  test('#22 a recovery code signs in once; ids tokens say amr ["pwd","otp","mfa"] after a TOTP and ["pwd","mfa"] after a recovery code', async () => {
    const user = await server.make.user();
    const { secret, codes } = await h.enrolTotp(await server.signIn(user.email, user.password));
    const app = await rp();

    const viaTotp = server.browser();
    const flow = await authorize(viaTotp, app);
    const login = await walk(viaTotp, flow.start);
    assert.equal(login.url.pathname, '/accounts/login/');
    const verify = (await h.signInWithPassword(viaTotp, user, login.url.searchParams.get('next')!)).headers.get('location')!;
    const afterCode = await h.submitCode(viaTotp, verify, codeFor(secret, 1));
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
    const verify2 = (await h.signInWithPassword(viaRecovery, user, login2.url.searchParams.get('next')!)).headers.get('location')!;
    const used = await h.submitCode(viaRecovery, verify2, codes[3].toUpperCase());
    assert.equal(used.status, 302, 'a recovery code, typed in capitals, signs in');
    const tokens2 = await flow2.exchange((await walk(viaRecovery, used.headers.get('location')!)).url);
    assert.deepEqual(tokens2.claims()!.amr, ['pwd', 'mfa']);
    assert.equal(tokens2.claims()!.acr, 'urn:djam:acr:mfa');

    const reuse = server.browser();
    const verify3 = (await h.signInWithPassword(reuse, user)).headers.get('location')!;
    assert.equal((await h.submitCode(reuse, verify3, codes[3])).status, 200, 'a recovery code used is gone');
    assert.equal(reuse.cookie('djam_sessionid'), undefined);
  });

  test('#22 failed codes are throttled with the shared limits: 429 and Retry-After, even for the right code', async () => {
    const user = await server.make.user();
    const { secret } = await h.enrolTotp(await server.signIn(user.email, user.password));
    const browser = server.browser();
    const verify = (await h.signInWithPassword(browser, user)).headers.get('location')!;
    for (let i = 0; i < server.config.DJAM_LOGIN_DELAY_AFTER; i++) assert.equal((await h.submitCode(browser, verify, 'abcdefgh')).status, 200);
    const limited = await h.submitCode(browser, verify, codeFor(secret, 1));
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal(browser.cookie('djam_sessionid'), undefined);
    const [audit] = (await server.database.db.execute(sql`select count(*)::int as n from audit_log where action = 'mfa.second-step-failed' and entity_id = ${String(user.id)}`) as unknown as { rows: Array<{ n: number }> }).rows;
    assert.equal(audit.n, server.config.DJAM_LOGIN_DELAY_AFTER, 'each failed second step is audited');
  });

  test('#22 removing a factor needs a sign-in from the last 5 minutes: an older session confirms with the password first', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    await h.enrolTotp(browser);
    const security = await (await browser.get('/accounts/security/')).text();
    const action = /action="(\/accounts\/security\/factors\/\d+\/remove)"/.exec(security)![1];
    await server.database.db.update(sessions).set({ verifiedAt: new Date(Date.now() - 6 * 60_000) }).where(eq(sessions.userId, user.id));
    await h.dropCachedSession(lookupHash(server.keys, browser.cookie('djam_sessionid')!)); // every node's cached copy goes
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
    assert.equal((await h.signInWithPassword(server.browser(), user)).headers.get('location'), `/user/account/edit/${user.id}/`);
  });

  test('#22 review: adding a factor needs a fresh sign-in too: an old session cannot add its own app or passkey (and then remove the owner\'s)', async () => {
    const owner = await server.make.user();
    const stolen = await server.signIn(owner.email, owner.password);
    await h.enrolTotp(stolen);
    const security = await (await stolen.get('/accounts/security/')).text();
    await server.database.db.update(sessions).set({ verifiedAt: new Date(Date.now() - 60 * 60_000) }).where(eq(sessions.userId, owner.id));
    await h.dropCachedSession(lookupHash(server.keys, stolen.cookie('djam_sessionid')!));
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
    const { secret } = await h.enrolTotp(server.browser().cookies.size ? browser : await server.signIn(user.email, user.password));
    // A session from before the factor existed: only the password.
    const old = server.browser();
    const pending = await h.signInWithPassword(old, user);
    assert.match(pending.headers.get('location')!, /verify/);
    await server.database.db.delete(mfaFactors).where(eq(mfaFactors.userId, user.id));
    const pwdOnly = await server.signIn(user.email, user.password);
    await server.database.db.insert(mfaFactors).values({ userId: user.id, kind: 'totp', name: 'Authenticator app', secretSealed: seal(server.keys, secret), lastStep: 0 });
    const app = await rp();
    const stepUp = await authorize(pwdOnly, app, { acr_values: 'urn:djam:acr:mfa' });
    const verify = await walk(pwdOnly, stepUp.start);
    assert.equal(verify.url.pathname, '/accounts/login/verify/');
    const ok = await h.submitCode(pwdOnly, verify.url.pathname + verify.url.search, codeFor(secret, 1));
    assert.equal(ok.status, 302);
    const tokens = await stepUp.exchange((await walk(pwdOnly, ok.headers.get('location')!)).url);
    assert.deepEqual(tokens.claims()!.amr, ['pwd', 'otp', 'mfa']);
  });
});
