// #23: DJAM as a broker. A second DJAM is the upstream OpenID provider; the DJAM under test signs
// users in through it with openid-client over real HTTP. Each browser is two cookie jars, one per
// site (the two servers share 127.0.0.1, where real browsers would also share cookies).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { identityLinks, sessions } from '../../src/db/schema.ts';
import { announceChange } from '../../src/db/change-feed.ts';
import { lookupHash } from '../../src/crypto/keys.ts';
import { findUserByEmail } from '../../src/users/index.ts';
import { listTeamNamesOfUser, listTeamsOfUser, removeTeamMember } from '../../src/privileges/index.ts';
import { createIdentityProviderAs } from '../../src/federation/index.ts';
import { cliActor } from '../../src/access/index.ts';
import { Browser } from '../helpers/cookie-jar.ts';
import { AdminCaller } from '../helpers/admin.fixture.ts';
import { afterOf, freePort, startTestServer, type TestServer } from '../helpers/start-server.ts';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

let upstream: TestServer;
let djam: TestServer;
let clientId: string;
let clientSecret: string;
let editorsTeamId: number;

const SLUGS = ['corp', 'strict', 'nojit', 'badsecret', 'down', 'slo', 'slow'];

/** Two jars, each used for its own server; redirects followed across both. */
class TwoSites {
  constructor(readonly up: Browser, readonly down: Browser) {}
  private jar(url: string): Browser { return url.startsWith(upstream.url) ? this.up : this.down; }
  /** GETs `url` and follows redirects (on either server) until an answer that is not one, or one leaving both. */
  async go(url: string, maxHops = 15): Promise<{ res: Response; url: string; text: string }> {
    let current = new URL(url, djam.url).href;
    for (let i = 0; i < maxHops; i++) {
      const res = await this.jar(current).get(current);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { res, url: current, text: await res.text() };
      const target = new URL(location, current).href;
      if (!target.startsWith(upstream.url) && !target.startsWith(djam.url)) return { res, url: target, text: '' };
      current = target;
    }
    throw new Error('too many redirects');
  }
}

async function upstreamUser(email: string, teams: string[] = []) {
  const user = await upstream.make.user({ email, firstName: 'Up', lastName: 'Stream' });
  for (const name of teams) await upstream.make.team(name, [user.id]);
  return user;
}

async function signedInAtUpstream(email: string, teams: string[] = []): Promise<TwoSites> {
  const user = await upstreamUser(email, teams);
  return new TwoSites(await upstream.signIn(user.email, user.password), djam.browser());
}

before(async (t) => {
  upstream = await startTestServer(t);
  djam = await startTestServer(t, { DJAM_IDP_ALLOW_HTTP: 'true', DJAM_IDP_TIMEOUT_SECONDS: '2' });
  const { client, clientSecret: secret } = await upstream.make.client({
    clientType: 'confidential', requireConsent: false, redirectUris: SLUGS.map((s) => `${djam.url}/accounts/idp/${s}/callback/`),
    postLogoutRedirectUris: [`${djam.url}/accounts/login/`],
  });
  clientId = client.clientId;
  clientSecret = secret!;
  const deps = { db: djam.database.db, keys: djam.keys, config: djam.config };
  const issuer = `${upstream.url}/openid`;
  const base = { issuer, clientId, clientSecret, scope: 'openid email profile groups', trustEmail: true };
  await createIdentityProviderAs(deps, cliActor, { ...base, slug: 'corp', name: 'Corporate login', groupClaim: 'groups', mappings: [{ value: 'gis-editors', team: 'Editors' }] });
  await createIdentityProviderAs(deps, cliActor, { ...base, slug: 'strict', name: 'Strict', allowedDomains: ['other.org'] });
  await createIdentityProviderAs(deps, cliActor, { ...base, slug: 'nojit', name: 'No JIT', allowJit: false });
  await createIdentityProviderAs(deps, cliActor, { ...base, slug: 'badsecret', name: 'Bad secret', clientSecret: 'not-the-secret' });
  // An upstream that accepts connections and never answers.
  const held: Socket[] = [];
  const silent = createNetServer((socket) => held.push(socket)).listen(0, '127.0.0.1');
  await once(silent, 'listening');
  afterOf(t)(async () => {
    for (const socket of held) socket.destroy();
    silent.close();
  });
  await createIdentityProviderAs(deps, cliActor, { ...base, slug: 'slow', name: 'Slow', issuer: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/openid` });
  await createIdentityProviderAs(deps, cliActor, { ...base, slug: 'slo', name: 'Single sign-out', endUpstreamSession: true });
  await createIdentityProviderAs(deps, cliActor, { ...base, slug: 'down', name: 'Down', issuer: `http://127.0.0.1:${await freePort()}/openid` });
  editorsTeamId = (await djam.make.team('Editors')).id;
});

const linksOf = async (userId: number) => djam.database.db.select().from(identityLinks).where(eq(identityLinks.userId, userId));

describe('#23 sign-in through an upstream OpenID provider', () => {
  test('the login page has one button per enabled upstream, carrying next', async () => {
    const res = await djam.browser().get('/accounts/login/?next=/o/applications/');
    const page = await res.text();
    assert.match(page, /href="\/accounts\/idp\/corp\/login\/\?next=%2Fo%2Fapplications%2F">Sign in with Corporate login</);
    assert.match(page, /Sign in with Strict/);
  });

  test('first sign-in creates the user just in time, links the upstream subject, maps groups to teams', async () => {
    const b = await signedInAtUpstream('carol@corp.example', ['gis-editors']);
    const { res, url } = await b.go('/accounts/idp/corp/login/');
    assert.equal(res.status, 200, url);
    const carol = await findUserByEmail({ db: djam.database.db }, 'carol@corp.example');
    assert.ok(carol, 'the user was created');
    assert.equal(carol.emailConfirmed, true);
    assert.equal(carol.firstName, 'Up');
    assert.equal(carol.password, '', 'no password is set');
    assert.ok(url.endsWith(`/user/account/edit/${carol.id}/`), url);
    const [link] = await linksOf(carol.id);
    assert.equal(link.kind, 'oidc');
    assert.ok(link.lastUsedAt);
    assert.deepEqual(await listTeamNamesOfUser({ db: djam.database.db }, carol.id), ['Editors']);
    const { events } = await import('../../src/db/schema.ts');
    const logged = await djam.database.db.select().from(events).where(eq(events.userId, carol.id));
    assert.ok(logged.some((e) => e.type === 'user.created' && (e.changes as { after?: { door?: string } })?.after?.door === 'idp:corp'), 'the creation is an event');
    assert.ok(logged.some((e) => e.type === 'user.login' && (e.changes as { door?: string })?.door === 'idp:corp'), 'the sign-in is a user.login event');
    // Signed in at DJAM: the account page answers.
    assert.equal((await b.down.get(`/user/account/edit/${carol.id}/`)).status, 200);

    // The upstream takes the group away: the next sign-in takes the team back, and only that team.
    const upCarol = (await findUserByEmail({ db: upstream.database.db }, 'carol@corp.example'))!;
    for (const team of await listTeamsOfUser({ db: upstream.database.db }, upCarol.id)) await removeTeamMember({ db: upstream.database.db }, team.id, upCarol.id);
    const other = await djam.make.team(`hand-made-${Date.now()}`, [carol.id]);
    const again = new TwoSites(b.up, djam.browser());
    assert.equal((await again.go('/accounts/idp/corp/login/')).res.status, 200);
    assert.deepEqual(await listTeamNamesOfUser({ db: djam.database.db }, carol.id), [other.name]);
    assert.equal((await linksOf(carol.id)).length, 1, 'the same link is used again');
    void editorsTeamId;
  });

  test('in Chromium: the login page\'s button signs in through the upstream', { skip: existsSync('/usr/bin/chromium') ? false : '/usr/bin/chromium is not installed' }, async (t) => {
    const lou = await upstreamUser('lou@corp.example');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
    t.after(() => browser.close());
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${djam.url}/accounts/login/`);
    await page.getByRole('link', { name: 'Sign in with Corporate login' }).click();
    await page.waitForURL(`${upstream.url}/**`);
    await page.getByLabel('Email').fill(lou.email);
    await page.getByLabel('Password').fill(lou.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/\/user\/account\/edit\/\d+\/$/);
    assert.ok(page.url().startsWith(djam.url), page.url());
    assert.ok(await findUserByEmail({ db: djam.database.db }, 'lou@corp.example'));
  });

  test('a pending /openid/authorize resumes after the upstream sign-in', async () => {
    const { client } = await djam.make.client({ clientType: 'public', requireConsent: false, redirectUris: ['http://127.0.0.1:8100/cb'] });
    const authorize = `/openid/authorize?${new URLSearchParams({
      client_id: client.clientId, response_type: 'code', scope: 'openid', redirect_uri: 'http://127.0.0.1:8100/cb', state: 'xyz',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
    })}`;
    const b = await signedInAtUpstream('erin@corp.example');
    const login = await b.go(authorize);
    assert.equal(login.res.status, 200);
    const href = /href="(\/accounts\/idp\/corp\/login\/[^"]*)"/.exec(login.text)?.[1]?.replaceAll('&amp;', '&');
    assert.ok(href, 'the login page offers the upstream with next');
    const done = await b.go(href);
    const back = new URL(done.url);
    assert.equal(`${back.origin}${back.pathname}`, 'http://127.0.0.1:8100/cb');
    assert.equal(back.searchParams.get('state'), 'xyz');
    assert.ok(back.searchParams.get('code'));
  });

  test('an e-mail already registered is never linked silently; the owner links it after signing in with the password', async () => {
    const dave = await djam.make.user({ email: 'dave@corp.example' });
    const upDave = await upstreamUser('dave@corp.example');
    const b = new TwoSites(await upstream.signIn(upDave.email, upDave.password), djam.browser());
    const refused = await b.go('/accounts/idp/corp/login/');
    assert.equal(refused.res.status, 409);
    assert.match(refused.text, /already exists\. Sign in with your password, then link/);
    assert.equal((await linksOf(dave.id)).length, 0);
    assert.equal(b.down.cookie('djam_sessionid'), undefined, 'not signed in');

    // Dave proves he owns the account, then links the upstream one from his sign-in methods.
    const down = await djam.signIn(dave.email, dave.password);
    const linking = new TwoSites(b.up, down);
    const page = await down.get('/accounts/idp/');
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(await page.text())![1];
    const start = await down.post('/accounts/idp/corp/link/', { csrfmiddlewaretoken: token });
    assert.equal(start.status, 302);
    // The link asks the upstream for a fresh sign-in (prompt=login): where it asks, Dave enters his upstream password.
    let linked = await linking.go(start.headers.get('location')!);
    if (linked.url.startsWith(upstream.url)) {
      const token2 = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(linked.text)![1];
      const action = /<form method="post" action="([^"]*)"/.exec(linked.text)![1].replaceAll('&amp;', '&');
      const submitted = await b.up.post(new URL(action, linked.url).href, { csrfmiddlewaretoken: token2, username: upDave.email, password: upDave.password });
      linked = await linking.go(new URL(submitted.headers.get('location')!, linked.url).href);
    }
    assert.equal(linked.res.status, 200);
    assert.match(linked.text, /The account is linked/);
    assert.equal((await linksOf(dave.id)).length, 1);

    // From now on the upstream signs Dave in as himself.
    const later = new TwoSites(b.up, djam.browser());
    const { url } = await later.go('/accounts/idp/corp/login/');
    assert.ok(url.endsWith(`/user/account/edit/${dave.id}/`), url);
  });

  test('#23 review: linking or unlinking an upstream account needs a sign-in from the last 5 minutes (an old session cannot plant its own way in)', async () => {
    const erin = await djam.make.user({ email: 'erin.stale@corp.example' });
    const down = await djam.signIn(erin.email, erin.password);
    const page = await down.get('/accounts/idp/');
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(await page.text())![1];
    await djam.database.db.update(sessions).set({ verifiedAt: new Date(Date.now() - 60 * 60_000) }).where(eq(sessions.userId, erin.id));
    await announceChange(djam.database.db, 'session', lookupHash(djam.keys, down.cookie('djam_sessionid')!));
    const start = await down.post('/accounts/idp/corp/link/', { csrfmiddlewaretoken: token });
    assert.equal(start.status, 302);
    assert.equal(start.headers.get('location'), '/accounts/security/confirm/?next=%2Faccounts%2Fidp%2F');
    const unlink = await down.post('/accounts/idp/links/1/unlink/', { csrfmiddlewaretoken: token });
    assert.equal(unlink.headers.get('location'), '/accounts/security/confirm/?next=%2Faccounts%2Fidp%2F');
    assert.equal((await linksOf(erin.id)).length, 0);
    const confirmed = await down.submitForm(start.headers.get('location')!, { password: erin.password });
    assert.equal(confirmed.status, 302);
    assert.equal(confirmed.headers.get('location'), '/accounts/idp/', 'back to the sign-in methods, fresh');
    const again = await down.post('/accounts/idp/corp/link/', { csrfmiddlewaretoken: token });
    assert.ok(again.headers.get('location')!.startsWith(upstream.url), 'now the link goes to the upstream');
  });

  test('signing out after an upstream marked end_upstream_session sends the browser to end the upstream session too', async () => {
    const b = await signedInAtUpstream('kim@corp.example');
    assert.equal((await b.go('/accounts/idp/slo/login/')).res.status, 200);
    const out = await b.down.signOut();
    assert.equal(out.status, 302);
    const to = new URL(out.headers.get('location')!);
    assert.equal(`${to.origin}${to.pathname}`, `${upstream.url}/openid/end-session`);
    assert.equal(to.searchParams.get('post_logout_redirect_uri'), `${djam.url}/accounts/login/`);
    assert.ok(to.searchParams.get('id_token_hint'));
    assert.equal(b.down.cookie('djam_sessionid'), undefined, 'the DJAM session ended');
  });

  test('a forbidden e-mail domain is refused with a page, and no user is made', async () => {
    const b = await signedInAtUpstream('frank@corp.example');
    const { res, text } = await b.go('/accounts/idp/strict/login/');
    assert.equal(res.status, 403);
    assert.match(text, /e-mail domain may not sign in/);
    assert.match(text, /href="\/accounts\/login\/"/);
    assert.equal(await findUserByEmail({ db: djam.database.db }, 'frank@corp.example'), undefined);
  });

  test('an upstream that does not create accounts refuses unknown users', async () => {
    const b = await signedInAtUpstream('gina@corp.example');
    const { res, text } = await b.go('/accounts/idp/nojit/login/');
    assert.equal(res.status, 403);
    assert.match(text, /does not create accounts/);
  });

  test('a tampered state, an id token for another nonce and a callback this browser did not start are refused', async () => {
    const b = await signedInAtUpstream('hank@corp.example');
    const start = await b.down.get('/accounts/idp/corp/login/');
    const upstreamAuthorize = new URL(start.headers.get('location')!);
    upstreamAuthorize.searchParams.set('state', 'forged-state');
    const tampered = await b.go(upstreamAuthorize.href);
    assert.equal(tampered.res.status, 400);
    assert.match(tampered.text, /Signing in through the identity provider failed/);
    assert.equal(await findUserByEmail({ db: djam.database.db }, 'hank@corp.example'), undefined);

    // An id token for another nonce (the authorization request altered on its way): refused by openid-client's check.
    const start3 = await b.down.get('/accounts/idp/corp/login/');
    const otherNonce = new URL(start3.headers.get('location')!);
    otherNonce.searchParams.set('nonce', 'replayed-nonce');
    const mismatch = await b.go(otherNonce.href);
    assert.equal(mismatch.res.status, 400);
    assert.match(mismatch.text, /Signing in through the identity provider failed/);
    assert.equal(b.down.cookie('djam_sessionid'), undefined);

    // A code delivered to another browser (login CSRF): no pending sign-in there.

    const start2 = await b.down.get('/accounts/idp/corp/login/');
    const toCallback = await b.up.get(start2.headers.get('location')!);
    const callback = toCallback.headers.get('location')!;
    const victim = djam.browser();
    const res = await victim.get(callback);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /was not started here/);
    assert.equal(victim.cookie('djam_sessionid'), undefined);
  });

  test('a denied consent at the upstream is a clear page', async () => {
    const b = await signedInAtUpstream('ivy@corp.example');
    const start = await b.down.get('/accounts/idp/corp/login/');
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const res = await b.down.get(`/accounts/idp/corp/callback/?error=access_denied&state=${state}&iss=${encodeURIComponent(`${upstream.url}/openid`)}`);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /did not let you sign in/);
  });

  test('a wrong client secret and an upstream that is down are clear pages, not 500s', async () => {
    const b = await signedInAtUpstream('jack@corp.example');
    const wrong = await b.go('/accounts/idp/badsecret/login/');
    assert.equal(wrong.res.status, 502);
    assert.match(wrong.text, /could not be reached or gave a wrong answer/);
    const down = await b.go('/accounts/idp/down/login/');
    assert.equal(down.res.status, 502);
    assert.match(down.text, /could not be reached/);
    const started = Date.now();
    const slow = await b.go('/accounts/idp/slow/login/');
    assert.equal(slow.res.status, 502);
    assert.ok(Date.now() - started < 6000, 'answered after DJAM_IDP_TIMEOUT_SECONDS, not hung');
    const unknown = await b.go('/accounts/idp/nope/login/');
    assert.equal(unknown.res.status, 404);
  });
});

describe('#23 /api/admin/identity-providers', () => {
  test('a superuser registers, reads, changes and deletes an upstream; the secret is sealed and never read back', async () => {
    const root = await djam.make.user({ isStaff: true, isSuperuser: true });
    const api = new AdminCaller(djam, { browser: await djam.signIn(root.email, root.password) });
    const created = await api.post('/identity-providers', {
      slug: 'keycloak', name: 'Keycloak', issuer: 'https://kc.example.org/realms/staff', client_id: 'djam', client_secret: 'top-secret-value',
      group_claim: 'groups', mappings: [{ value: 'gis', team: 'GIS' }], allowed_domains: ['Example.ORG'],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.jit, true, 'just-in-time creation is on by default');
    assert.equal(created.body.trust_email, false);
    assert.deepEqual(created.body.allowed_domains, ['example.org']);
    assert.equal(created.body.callback_url, `${djam.url}/accounts/idp/keycloak/callback/`);
    assert.ok(!JSON.stringify(created.body).includes('top-secret-value'));
    const { identityProviders } = await import('../../src/db/schema.ts');
    const [row] = await djam.database.db.select().from(identityProviders).where(eq(identityProviders.slug, 'keycloak'));
    assert.ok(row.clientSecretSealed.startsWith('v1.') && !row.clientSecretSealed.includes('top-secret-value'), 'sealed at rest');

    assert.equal((await api.post('/identity-providers', { slug: 'keycloak', issuer: 'https://x.example', client_id: 'a', client_secret: 'b' })).body.error, 'IDP_SLUG_TAKEN');
    assert.equal((await api.post('/identity-providers', { slug: 'Bad Slug', issuer: 'https://x.example', client_id: 'a', client_secret: 'b' })).status, 400);
    assert.equal((await api.post('/identity-providers', { slug: 'evil', issuer: 'javascript:alert(1)', client_id: 'a', client_secret: 'b' })).body.error, 'IDP_ISSUER_REFUSED');
    const changed = await api.patch(`/identity-providers/${created.body.id}`, { enabled: false, client_secret: 'another-secret' });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.enabled, false);
    assert.doesNotMatch(await (await djam.browser().get('/accounts/login/')).text(), /Sign in with Keycloak/, 'a disabled upstream has no button');
    assert.equal((await djam.browser().get('/accounts/idp/keycloak/login/')).status, 404);
    assert.equal((await api.delete(`/identity-providers/${created.body.id}`)).status, 204);
    assert.equal((await api.get(`/identity-providers/${created.body.id}`)).body.error, 'IDP_NOT_FOUND');
  });
});
