// Statement budgets of the hot paths (issue 7), counted by instrumenting the database client:
// deterministic, so they are tests; rates stay in `npm run bench`.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { basicAuth } from '../helpers/cookie-jar.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

let server: TestServer;
const form = { 'content-type': 'application/x-www-form-urlencoded' };

before(async (t) => {
  server = await startTestServer(t, { DJAM_JOB_POLL_SECONDS: '3600' });
});

/** Statements sent while `fn` runs (the server is otherwise idle). */
async function statementsOf(fn: () => Promise<unknown>): Promise<number> {
  const start = server.database.statements();
  await fn();
  await new Promise((r) => setTimeout(r, 50)); // let any fire-and-forget write land inside the window
  return server.database.statements() - start;
}

async function ccToken(auth: string, body = 'grant_type=client_credentials&scope=read') {
  const res = await fetch(`${server.url}/openid/token`, { method: 'POST', headers: { ...form, authorization: auth }, body });
  assert.equal(res.status, 200);
  return (await res.json() as { access_token: string }).access_token;
}

test('client_credentials costs at most 2 statements (with or without scope)', async () => {
  const { client, clientSecret } = await server.make.client({ grantType: 'client_credentials', redirectUris: [] });
  const auth = basicAuth(client.clientId, clientSecret!);
  await ccToken(auth); // warms the client cache
  assert.ok(await statementsOf(() => ccToken(auth)) <= 2);
  assert.ok(await statementsOf(() => ccToken(auth, 'grant_type=client_credentials')) <= 2);
});

test('introspection costs at most 1 statement', async () => {
  const { client, clientSecret } = await server.make.client({ grantType: 'client_credentials', redirectUris: [] });
  const auth = basicAuth(client.clientId, clientSecret!);
  const token = await ccToken(auth);
  const introspect = async () => {
    const res = await fetch(`${server.url}/openid/introspect`, { method: 'POST', headers: { ...form, authorization: auth }, body: `token=${token}` });
    assert.equal((await res.json() as { active: boolean }).active, true);
  };
  await introspect();
  assert.ok(await statementsOf(introspect) <= 1, `introspection took ${await statementsOf(introspect)}`);
});

test('GeoServer authkey introspection costs at most 1 statement, and none for a key checked recently', async () => {
  const alice = await server.make.user();
  await server.make.team(`t-${alice.id}`, [alice.id]);
  const { key } = await server.make.apiKey(alice.id, 'resource');
  const check = async () => assert.equal((await fetch(`${server.url}/openid/authkey/introspect/?authkey=${key}`)).status, 200);
  await server.app.changes.confirm(); // the team's announcement, which empties the key cache, has been heard
  const miss = await statementsOf(check);
  assert.ok(miss <= 1, `authkey took ${miss}`);
  assert.equal(await statementsOf(check), 0, 'a cache hit sends no statement');
});

// 11 since #22: the password step asks whether the user has a second factor or must use one
// (one select for both). The sign-in's audit entry and its event (#21) share one statement.
test('a whole authorization-code flow (login, authorize, code, token, userinfo) costs at most 11 statements', async () => {
  const user = await server.make.user();
  const { client, clientSecret } = await server.make.client({ requireConsent: false, redirectUris: ['http://localhost:8100/cb'] });
  const warm = basicAuth(client.clientId, clientSecret!);
  await fetch(`${server.url}/openid/token`, { method: 'POST', headers: { ...form, authorization: warm }, body: 'grant_type=authorization_code&code=warm&redirect_uri=x' });
  const browser = server.browser();
  const loginPage = await (await browser.get('/accounts/login/')).text();
  const csrf = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(loginPage)![1];
  let code = '';
  if (process.env.DJAM_DEBUG_SQL) console.error('=== FLOW START');
  const used = await statementsOf(async () => {
    const login = await browser.post('/accounts/login/', { csrfmiddlewaretoken: csrf, username: user.email, password: user.password });
    assert.equal(login.status, 302);
    const authorize = await browser.get(`/openid/authorize?response_type=code&client_id=${client.clientId}&redirect_uri=http://localhost:8100/cb&scope=openid email&state=s`);
    code = new URL(authorize.headers.get('location')!).searchParams.get('code')!;
    const token = await fetch(`${server.url}/openid/token`, { method: 'POST', headers: { ...form, authorization: warm },
      body: `grant_type=authorization_code&code=${code}&redirect_uri=http://localhost:8100/cb` });
    const { access_token: at } = await token.json() as { access_token: string };
    assert.equal((await fetch(`${server.url}/openid/userinfo`, { headers: { authorization: `Bearer ${at}` } })).status, 200);
  });
  assert.ok(code, 'the code arrived in one redirect');
  assert.ok(used <= 11, `the code flow took ${used} statements`);
});

// 11 since #20: the password attempt is counted in the store every node shares before the check (one
// upsert) and released once the password proved right (one more).
// 14 since #21-#23: the login page lists the enabled upstream identity providers (one select),
// accepting the consent page records consent.granted, and the second-factor check (above).
test('the whole code flow from a signed-out browser, with the consent page, costs at most 14 statements', async () => {
  const user = await server.make.user();
  const { client, clientSecret } = await server.make.client({ requireConsent: true, redirectUris: ['http://localhost:8100/cb'] });
  const auth = basicAuth(client.clientId, clientSecret!);
  await fetch(`${server.url}/openid/token`, { method: 'POST', headers: { ...form, authorization: auth }, body: 'grant_type=authorization_code&code=warm&redirect_uri=x' });
  const browser = server.browser();
  const authorizeUrl = `/openid/authorize?response_type=code&client_id=${client.clientId}&redirect_uri=http://localhost:8100/cb&scope=openid email&state=s`;
  const steps: string[] = [];
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const start = server.database.statements();
    if (process.env.DJAM_DEBUG_SQL) console.error(`=== ${name}`);
    const result = await fn();
    steps.push(`${name}: ${server.database.statements() - start}`);
    return result;
  };
  const used = await statementsOf(async () => {
    const toLogin = await step('authorize', () => browser.get(authorizeUrl));
    assert.equal(toLogin.status, 302);
    const loginPage = await step('login page', async () => (await browser.get(toLogin.headers.get('location')!)).text());
    const csrf = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(loginPage)![1];
    const next = new URL(toLogin.headers.get('location')!, server.url).searchParams.get('next')!;
    const login = await step('login POST', () => browser.post(`/accounts/login/?next=${encodeURIComponent(next)}`, { csrfmiddlewaretoken: csrf, username: user.email, password: user.password }));
    assert.equal(login.status, 302);
    const toConsent = await step('authorize again', () => browser.get(login.headers.get('location')!));
    assert.equal(toConsent.status, 303);
    const consentUrl = toConsent.headers.get('location')!;
    const consentPage = await step('consent page', async () => (await browser.get(consentUrl)).text());
    const consentCsrf = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(consentPage)![1];
    const toResume = await step('consent POST', () => browser.post(`${new URL(consentUrl, server.url).pathname}/confirm`, { csrfmiddlewaretoken: consentCsrf }));
    assert.equal(toResume.status, 303);
    const toCallback = await step('resume', () => browser.get(toResume.headers.get('location')!));
    const code = new URL(toCallback.headers.get('location')!).searchParams.get('code')!;
    assert.ok(code, 'the callback carries a code');
    const token = await step('token', () => fetch(`${server.url}/openid/token`, { method: 'POST', headers: { ...form, authorization: auth },
      body: `grant_type=authorization_code&code=${code}&redirect_uri=http://localhost:8100/cb` }));
    const { access_token: at } = await token.json() as { access_token: string };
    const userinfo = await step('userinfo', () => fetch(`${server.url}/openid/userinfo`, { headers: { authorization: `Bearer ${at}` } }));
    assert.equal(userinfo.status, 200);
  });
  if (process.env.DJAM_DEBUG_SQL) console.error(steps.join(', '), used);
  assert.ok(used <= 14, `the consent flow took ${used} statements (${steps.join(', ')})`);
});
