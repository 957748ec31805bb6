// #17 item 7: a proxied upstream is served on DJAM's own origin, so it must not reach DJAM's
// cookies or pages: its Set-Cookie for a DJAM cookie is dropped, its other cookies stay under
// /service/<slug>, and its answers are sandboxed by CSP (an opaque origin: no same-origin access
// to /admin/ or the admin API) unless the service is listed in DJAM_PROXY_SANDBOX_EXEMPT.
// The upstream answers with the headers the test asks for (`_headers?<name>=<value>`).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { basicOf, echoOf, startProxyFixture, type ProxyFixture } from './proxy.fixture.ts';

const SANDBOX = 'sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads';
const CALLBACK = 'http://localhost:8100/cb';

let F: ProxyFixture;
let alice: string;
before(async (t) => {
  F = await startProxyFixture(t, { DJAM_PROXY_SANDBOX_EXEMPT: 'root' });
  alice = basicOf(F.people.alice);
});

/** `/service/<slug>/_headers` with the given response headers, as a path. */
function headersPath(slug: string, headers: Array<[string, string]>): string {
  return `/service/${slug}/_headers?${new URLSearchParams(headers)}`;
}

test("#17 item 7: an upstream's cookies with DJAM's names are dropped, its others scoped to /service/<slug>", async () => {
  const res = await fetch(`${F.B}${headersPath('up', [
    ['set-cookie', 'djam_sessionid=evil; Path=/; HttpOnly'],
    ['set-cookie', 'XSRF-TOKEN=evil; Path=/'],
    ['set-cookie', 'xsrf-token=evil'],
    ['set-cookie', '=djam_sessionid=evil; Path=/'], // nameless: browsers send it as `djam_sessionid=evil`
    ['set-cookie', 'djam_password_reset=evil'],
    ['set-cookie', '_session=evil; Path=/openid'],
    ['set-cookie', 'theme=dark; Path=/; Domain=127.0.0.1; SameSite=Lax'],
    ['set-cookie', 'sub=1; path=/echo/sub; Secure'],
    ['set-cookie', 'bare=1'],
    ['set-cookie', 'csrftoken=own; Path=/'],
  ])}`, { headers: { authorization: alice } });
  assert.equal(res.status, 200);
  assert.deepEqual(res.headers.getSetCookie(), [
    'theme=dark; SameSite=Lax; Path=/service/up',
    'sub=1; Secure; Path=/service/up/sub',
    'bare=1; Path=/service/up',
    'csrftoken=own; Path=/service/up',
  ]);
});

test('#17 item 7: a signed-in browser keeps its session when an upstream tries to replace it', async () => {
  const browser = await F.server.signIn(F.people.alice.email, F.people.alice.password);
  const session = browser.cookie('djam_sessionid');
  await (await browser.get(headersPath('up', [['set-cookie', 'djam_sessionid=evil; Path=/']]))).text();
  assert.equal(browser.cookie('djam_sessionid'), session);
  assert.equal((await echoOf(await browser.get('/service/up'))).url, '/echo');
});

test('#17 item 7: proxied answers are sandboxed by CSP; an upstream policy of its own is kept beside it', async () => {
  const page = await fetch(`${F.B}/service/up/_page`, { headers: { authorization: alice } });
  assert.equal(await page.text(), '<script>1</script>');
  assert.equal(page.headers.get('content-security-policy'), SANDBOX);
  const own = await fetch(`${F.B}${headersPath('up', [['content-security-policy', "default-src 'self'"]])}`, { headers: { authorization: alice } });
  await own.text();
  // Two policies, both enforced (fetch joins the header lines with a comma).
  assert.equal(own.headers.get('content-security-policy'), `default-src 'self', ${SANDBOX}`);
});

test('#17 item 7: a service listed in DJAM_PROXY_SANDBOX_EXEMPT is not sandboxed; its cookies are still scoped', async () => {
  const page = await fetch(`${F.B}/service/root/_page`, { headers: { authorization: alice } });
  await page.text();
  assert.equal(page.headers.get('content-security-policy'), null);
  const cookies = await fetch(`${F.B}${headersPath('root', [['set-cookie', 'a=1; Path=/'], ['set-cookie', 'djam_sessionid=evil']])}`, { headers: { authorization: alice } });
  await cookies.text();
  assert.deepEqual(cookies.headers.getSetCookie(), ['a=1; Path=/service/root']);
});

test("#17 review: the upstream is sent none of DJAM's or the provider's cookies, but its own and others", async () => {
  // A browser that signed in and went through an authorization holds the provider's session cookies.
  await F.server.make.client({ clientId: 'isolated', clientSecret: 'isolatedsecret', redirectUris: [CALLBACK], requireConsent: false, scope: 'openid' });
  const browser = await F.server.signIn(F.people.alice.email, F.people.alice.password);
  const query = new URLSearchParams({ response_type: 'code', client_id: 'isolated', redirect_uri: CALLBACK, scope: 'openid' });
  assert.match((await browser.get(`/openid/authorize?${query}`)).headers.get('location') ?? '', /[?&]code=/);
  const held = [...browser.cookies.values()].map((c) => c.name);
  assert.ok(held.includes('_session') && held.includes('_session.sig'), held.join());
  browser.cookies.set('theme;/', { name: 'theme', value: 'dark', path: '/' });
  const fromBrowser = await echoOf(await browser.get('/service/up'));
  assert.equal(fromBrowser.headers.cookie, 'theme=dark');

  // Every reserved name, in any case and bare, sent by hand among ordinary ones.
  const reserved = ['djam_sessionid', 'djam_password_reset', 'DJAM_other', 'XSRF-TOKEN', '_session', '_session.sig', '_Session',
    '_interaction', '_interaction.sig', '_interaction_resume', '_interaction_resume.sig'];
  const cookie = ['theme=dark', ...reserved.map((name) => `${name}=x`), '_session_theme=x', 'djam_sessionid', 'upstream_cookie=1'].join('; ');
  const byHand = await echoOf(await fetch(`${F.B}/service/up`, { headers: { authorization: alice, cookie } }));
  assert.equal(byHand.headers.cookie, 'theme=dark; _session_theme=x; upstream_cookie=1');
});

test("#17 review: an upstream cannot clear the site data of DJAM's origin, sandboxed or not", async () => {
  for (const slug of ['up', 'root']) {
    const res = await fetch(`${F.B}${headersPath(slug, [['clear-site-data', '"cookies", "storage"'], ['x-kept', '1']])}`, { headers: { authorization: alice } });
    await res.text();
    assert.equal(res.headers.get('clear-site-data'), null, slug);
    assert.equal(res.headers.get('x-kept'), '1', slug);
  }
});
