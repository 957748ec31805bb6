// docs/compatibility.md §8 and §13.5 scenarios 40–43: who may pass the reverse proxy, and to what. Every request
// goes over HTTP to the real server, which forwards to a real upstream echo server.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { findUser } from '../../src/users/index.ts';
import type { Browser } from '../helpers/cookie-jar.ts';
import { basic, basicOf, echoOf, FORBIDDEN, startProxyFixture, type ProxyFixture } from './proxy.fixture.ts';

const CALLBACK = 'http://localhost:8100/cb';
let F: ProxyFixture;
before(async (t) => { F = await startProxyFixture(t); });

function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${F.B}${path}`, { headers, redirect: 'manual' });
}

async function assertForbidden(res: Response, why: string): Promise<void> {
  assert.equal(res.status, 403, why);
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8', why);
  assert.equal(await res.text(), FORBIDDEN, why);
}

/** An access token for the proxy that speaks for alice, by the authorization-code flow of a signed-in browser. */
async function aliceAccessToken(): Promise<string> {
  await F.server.make.client({ clientId: 'proxyapp', clientSecret: 'proxysecret', redirectUris: [CALLBACK], requireConsent: false, scope: 'openid proxy' });
  const browser = await F.server.signIn(F.people.alice.email, F.people.alice.password);
  const query = new URLSearchParams({ response_type: 'code', client_id: 'proxyapp', redirect_uri: CALLBACK, scope: 'openid proxy' });
  const authorize = await browser.get(`/openid/authorize?${query}`);
  const code = new URL(authorize.headers.get('location')!).searchParams.get('code');
  assert.ok(code, `no code in ${authorize.headers.get('location')}`);
  const res = await fetch(`${F.B}/openid/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_id: 'proxyapp', client_secret: 'proxysecret' }),
  });
  assert.equal(res.status, 200);
  return (await res.json() as { access_token: string }).access_token;
}

describe('compatibility.md §8.1 identifying the caller', () => {
  test('40: an anonymous request is refused with the exact text', async () => {
    await assertForbidden(await get('/service/up'), 'anonymous');
    assert.equal(F.upstream.hits.get('/echo'), undefined, 'nothing reached the upstream');
  });

  test('41: Basic e-mail and password is proxied with the query string', async () => {
    const res = await get('/service/up?x=1', { authorization: basicOf(F.people.alice) });
    const echo = await echoOf(res);
    assert.equal(echo.method, 'GET');
    assert.equal(echo.url, '/echo?x=1');
  });

  test('Basic: the scheme in any case; a colon in the password stays part of it', async () => {
    const carol = await F.server.make.user({ email: 'carol@example.com', password: 'pa:ss:word' });
    const team = await F.server.make.team('carols', [carol.id]);
    const role = await F.server.make.role('carol-viewer', { teamIds: [team.id] });
    const all = await F.server.make.resource({ slug: 'carol', type: 'Upstream Service', url: `${F.upstream.origin}/carol` });
    await F.server.make.rule(all.id, role.id, true);
    const res = await get('/service/carol', { authorization: basicOf(carol).replace('Basic', 'bAsIc') });
    assert.equal((await echoOf(res)).url, '/carol');
  });

  test('a proxied Basic request is no sign-in: last_login stays as it was', async () => {
    const erin = await F.server.make.user({ email: 'erin@example.com', password: 'erinpass' });
    const team = await F.server.make.team('erins', [erin.id]);
    await F.server.make.rule((await F.server.make.resource({ slug: 'erin', type: 'Upstream Service', url: `${F.upstream.origin}/erin` })).id,
      (await F.server.make.role('erin-viewer', { teamIds: [team.id] })).id, true);
    await echoOf(await get('/service/erin', { authorization: basicOf(erin) }));
    // HTTP cannot show this column to erin; the service can.
    assert.equal((await findUser({ db: F.server.database.db }, erin.id))?.lastLogin, null);
  });

  test('Basic rejections: wrong password, unknown e-mail, inactive user, malformed values', async () => {
    const { alice, ghost } = F.people;
    const cases: Record<string, string> = {
      'wrong password': basic(alice.email, 'nope'),
      'unknown e-mail': basic('nobody@example.com', 'x'),
      'inactive user': basicOf(ghost),
      'no colon': `Basic ${Buffer.from(alice.email).toString('base64')}`,
      'not Base64': 'Basic %%%not-base64%%%',
      'empty value': 'Basic ',
      'two values': `Basic ${Buffer.from('a:b').toString('base64')} extra`,
      'URL-encoded e-mail': basic(encodeURIComponent(alice.email), alice.password),
    };
    for (const [why, authorization] of Object.entries(cases)) await assertForbidden(await get('/service/up', { authorization }), why);
  });

  test('a Bearer access token for the proxy speaks for its user; others are refused', async () => {
    const token = await aliceAccessToken();
    const echo = await echoOf(await get('/service/up', { authorization: `Bearer ${token}` }));
    assert.equal(echo.headers.authorization, undefined, 'the consumed token is not forwarded');
    await assertForbidden(await get('/service/up', { authorization: 'Bearer not-a-token' }), 'unknown token');
    await assertForbidden(await get('/service/up', { authorization: `Bearer ${token.slice(0, -2)}` }), 'altered token');
    const revoke = await fetch(`${F.B}/openid/revoke`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, client_id: 'proxyapp', client_secret: 'proxysecret' }),
    });
    assert.equal(revoke.status, 200);
    await assertForbidden(await get('/service/up', { authorization: `Bearer ${token}` }), 'revoked token');
  });

  test('other schemes are refused, even with a valid session cookie', async () => {
    const browser = await F.server.signIn(F.people.alice.email, F.people.alice.password);
    for (const authorization of ['Token x', `Token ${F.keys.AR}`, 'Digest username="alice"', 'garbage']) {
      await assertForbidden(await browser.fetch('/service/up', { headers: { authorization } }), authorization);
    }
  });

  test('42: ?authkey= accepts a valid resource key and nothing else', async () => {
    const echo = await echoOf(await get(`/service/up?authkey=${F.keys.AR}`));
    assert.equal(echo.url, '/echo', 'the authkey parameter is not forwarded');
    const refused: Record<string, string> = {
      'revoked (AX)': F.keys.AX,
      'expired (AE)': F.keys.AE,
      'management scope (AM)': F.keys.AM,
      'inactive owner': F.keys.GR,
      'unknown key': '0f0e0d0c-0b0a-4908-8706-050403020100',
      garbage: 'not-a-key',
      empty: '',
    };
    for (const [why, key] of Object.entries(refused)) await assertForbidden(await get(`/service/up?authkey=${key}`), why);
  });

  test('a signed-in browser is proxied; its session wins over an authkey', async () => {
    const browser = await F.server.signIn(F.people.dave.email, F.people.dave.password);
    assert.equal((await echoOf(await browser.get('/service/up'))).url, '/echo');
    // dave holds the role directly; a revoked key in the URL is ignored for a signed-in browser (docs/compatibility.md §8.1).
    assert.equal((await echoOf(await browser.get(`/service/up?authkey=${F.keys.AX}&a=1`))).url, '/echo?a=1');
  });

  test('a signed-out browser is anonymous again', async () => {
    const browser = await F.server.signIn(F.people.alice.email, F.people.alice.password);
    await browser.signOut();
    await assertForbidden(await browser.get('/service/up'), 'after logout');
  });
});

describe('compatibility.md §8.2 authorisation (scenario 43)', () => {
  async function status(path: string, authorization: string): Promise<number> {
    const res = await get(path, { authorization });
    await res.arrayBuffer();
    return res.status;
  }

  test('bob without the role gets 404 Not Found', async () => {
    const res = await get('/service/up', { authorization: basicOf(F.people.bob) });
    assert.equal(res.status, 404);
    assert.match(await res.text(), /Not Found/);
  });

  test('an inactive rule, no rule at all and an unknown slug are 404', async () => {
    const alice = basicOf(F.people.alice);
    assert.equal(await status('/service/inactive', alice), 404);
    assert.equal(await status('/service/norule', alice), 404);
    assert.equal(await status('/service/missing', alice), 404);
    assert.equal(await status('/service/bad%20slug', alice), 404);
  });

  test('a resource that is not an "Upstream Service" answers 204 with no body', async () => {
    const res = await get('/service/notype', { authorization: basicOf(F.people.alice) });
    assert.equal(res.status, 204);
    assert.equal(await res.text(), '');
    assert.equal(F.upstream.hits.get('/notype'), undefined);
  });

  test('a role via a team and a role held directly both open the resource', async () => {
    assert.equal((await echoOf(await get('/service/up', { authorization: basicOf(F.people.alice) }))).url, '/echo');
    assert.equal((await echoOf(await get('/service/up', { authorization: basicOf(F.people.dave) }))).url, '/echo');
  });

  test('a superuser passes any active rule, but not a resource without one', async () => {
    const admin = basicOf(F.people.admin);
    assert.equal((await echoOf(await get('/service/up', { authorization: admin }))).url, '/echo');
    assert.equal(await status('/service/inactive', admin), 404);
    assert.equal(await status('/service/norule', admin), 404);
  });

  test('the route is anchored at the root (compatibility.md §8 SHOULD)', async () => {
    assert.equal(await status('/openid/service/up', basicOf(F.people.alice)), 404);
  });
});

describe('compatibility.md §8.3 CSRF', () => {
  let browser: Browser;
  before(async () => { browser = await F.server.signIn(F.people.alice.email, F.people.alice.password); });
  const post = (headers: Record<string, string> = {}) => browser.fetch('/service/up', { method: 'POST', body: 'a=1', headers: { 'content-type': 'text/plain', ...headers } });

  test('a cookie-authenticated POST without X-CSRFToken is refused', async () => {
    const res = await post();
    assert.equal(res.status, 403);
    assert.match(await res.text(), /CSRF/);
  });

  test('with the XSRF-TOKEN cookie echoed in X-CSRFToken it is proxied, without the header', async () => {
    const token = browser.cookie('XSRF-TOKEN');
    assert.ok(token, 'the login page set the CSRF cookie');
    const echo = await echoOf(await post({ 'x-csrftoken': token }));
    assert.equal(echo.method, 'POST');
    assert.equal(echo.bytes, 3);
    assert.equal(echo.headers['x-csrftoken'], undefined);
  });

  test('a cookie planted by someone else (not signed by this server) does not count', async () => {
    const session = browser.cookie('djam_sessionid')!;
    const res = await fetch(`${F.B}/service/up`, {
      method: 'POST', body: 'a=1', headers: { cookie: `djam_sessionid=${session}; XSRF-TOKEN=planted`, 'x-csrftoken': 'planted' },
    });
    assert.equal(res.status, 403);
  });

  test('unsafe methods with Basic or an authkey need no CSRF token', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const echo = await echoOf(await fetch(`${F.B}/service/up`, { method, body: 'abcd', headers: { authorization: basicOf(F.people.alice) } }));
      assert.equal(echo.method, method);
      assert.equal(echo.bytes, 4);
    }
    const echo = await echoOf(await fetch(`${F.B}/service/up?authkey=${F.keys.AR}`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } }));
    assert.equal(echo.bytes, 7);
    assert.equal(echo.headers['content-type'], 'application/json');
  });
});
