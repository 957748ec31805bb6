// #17 item 2: the proxy takes as a Bearer credential only an access token meant for it, by its
// scope (`proxy`) or its audience (a JWT for `<SITEURL>service/` or `<SITEURL>service/<slug>/`,
// RFC 8707), never the token a user gave some other application. Tokens come from real
// authorization-code flows of a signed-in browser. SITEURL names a host of its own (the requests
// still go to the test port) so that the proxy's resource URIs are known before the server starts.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { basicAuth } from '../helpers/cookie-jar.ts';
import { echoOf, FORBIDDEN, startProxyFixture, type ProxyFixture } from './proxy.fixture.ts';

const SITE = 'http://djam.test';
const PROXY_AUDIENCE = `${SITE}/service/`;
const UP_AUDIENCE = `${SITE}/service/up/`;
const OTHER_API = 'https://api.example/';
const CALLBACK = 'http://localhost:8100/cb';

let F: ProxyFixture;
before(async (t) => {
  F = await startProxyFixture(t, {
    SITEURL: `${SITE}/`,
    DJAM_OIDC_RESOURCE_SERVERS: JSON.stringify({ [PROXY_AUDIENCE]: { scopes: 'proxy' }, [UP_AUDIENCE]: { scopes: 'proxy' }, [OTHER_API]: { scopes: 'api:read' } }),
  });
});

interface App { clientId: string; clientSecret: string }

async function registerApp(scope: string): Promise<App> {
  const { client, clientSecret } = await F.server.make.client({ redirectUris: [CALLBACK], requireConsent: false, scope });
  return { clientId: client.clientId, clientSecret: clientSecret! };
}

async function tokenRequest(app: App, params: Record<string, string>): Promise<string> {
  const res = await fetch(`${F.B}/openid/token`, {
    method: 'POST', headers: { authorization: basicAuth(app.clientId, app.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  const body = await res.json() as { access_token?: string };
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.access_token!;
}

/** Alice signs in and authorises `app`; the app exchanges the code (naming `resource` when given). */
async function aliceToken(app: App, scope: string, resource?: string): Promise<string> {
  const browser = await F.server.signIn(F.people.alice.email, F.people.alice.password);
  const query = new URLSearchParams({ response_type: 'code', client_id: app.clientId, redirect_uri: CALLBACK, scope, ...(resource ? { resource } : {}) });
  const authorize = await browser.get(`/openid/authorize?${query}`);
  const code = URL.parse(authorize.headers.get('location') ?? '')?.searchParams.get('code');
  assert.ok(code, `no code in ${authorize.status} ${authorize.headers.get('location')}`);
  return tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, ...(resource ? { resource } : {}) });
}

const proxied = (slug: string, token: string) => fetch(`${F.B}/service/${slug}`, { headers: { authorization: `Bearer ${token}` } });

async function assertRefused(res: Response, why: string): Promise<void> {
  assert.equal(res.status, 403, why);
  assert.equal(await res.text(), FORBIDDEN, why);
}

test('#17 item 2: a token alice gave an unrelated application is refused at the proxy', async () => {
  const gallery = await registerApp('openid email');
  const token = await aliceToken(gallery, 'openid email');
  const userinfo = await fetch(`${F.B}/openid/userinfo`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(userinfo.status, 200, 'a real token of alice, good at userinfo');
  const hits = F.upstream.hits.get('/echo');
  await assertRefused(await proxied('up', token), 'a token meant for the gallery, replayed at the proxy');
  assert.equal(F.upstream.hits.get('/echo'), hits, 'nothing reached the upstream');
});

test('#17 item 2: a token granted the proxy scope passes; the same application without it does not', async () => {
  const viewer = await registerApp('openid proxy');
  const echo = await echoOf(await proxied('up', await aliceToken(viewer, 'openid proxy')));
  assert.equal(echo.headers.authorization, undefined, 'the consumed token is not forwarded');
  await assertRefused(await proxied('up', await aliceToken(viewer, 'openid')), 'granted openid only');
});

test('#17 item 2: a JWT whose audience names the service or the proxy passes; one for another API or service does not', async () => {
  const app = await registerApp('openid proxy api:read');
  const forUp = await aliceToken(app, 'openid proxy', UP_AUDIENCE);
  assert.equal((await echoOf(await proxied('up', forUp))).url, '/echo');
  await assertRefused(await proxied('root', forUp), 'a token for /service/up/ at /service/root');
  const forProxy = await aliceToken(app, 'openid proxy', PROXY_AUDIENCE);
  assert.equal((await echoOf(await proxied('up', forProxy))).url, '/echo');
  assert.equal((await echoOf(await proxied('root', forProxy))).url, '/');
  await assertRefused(await proxied('up', await aliceToken(app, 'openid api:read', OTHER_API)), 'a token for another API');
  await assertRefused(await proxied('up', `${forUp.slice(0, -4)}AAAA`), 'a JWT with a broken signature');
});

test('#17 item 2: tokens of a client without a user stay refused, even for the proxy', async () => {
  // Its JWT's `sub` is its client id: named like the superuser's id, it must still not become that user.
  const clientId = String(F.people.admin.id);
  const { client, clientSecret } = await F.server.make.client({ clientId, grantType: 'client_credentials', redirectUris: [], scope: 'proxy' });
  const app = { clientId: client.clientId, clientSecret: clientSecret! };
  await assertRefused(await proxied('up', await tokenRequest(app, { grant_type: 'client_credentials', scope: 'proxy' })), 'opaque, proxy scope');
  await assertRefused(await proxied('up', await tokenRequest(app, { grant_type: 'client_credentials', resource: PROXY_AUDIENCE })), 'JWT for the proxy');
});
