// /o/applications/: a signed-in user registers, reads, edits, re-keys and deletes their own OAuth
// applications; every change is proved at the token endpoint, and other users' ids stay hidden.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { basicAuth, type Browser } from '../helpers/cookie-jar.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

const CALLBACK = 'http://127.0.0.1:8000/noexist/callback';

interface Registered { rowId: string; clientId: string; secret: string }

function clientIdIn(page: string): string | undefined {
  return /id="client-id">([^<]+)</.exec(page)?.[1];
}

function secretIn(page: string): string | undefined {
  return /id="client-secret" class="secret" readonly value="([^"]+)"/.exec(page)?.[1];
}

async function register(browser: Browser, fields: Record<string, string>): Promise<Registered> {
  const res = await browser.submitForm('/o/applications/register/', { client_type: 'confidential', ...fields });
  assert.equal(res.status, 303, '#18 POST/redirect/GET, the secret never in the URL');
  const page = await (await browser.get(res.headers.get('location')!)).text();
  const rowId = /href="\/o\/applications\/(\d+)\/update\/"/.exec(page)?.[1];
  const clientId = clientIdIn(page);
  const secret = secretIn(page);
  assert.ok(rowId && clientId && secret, 'the page shows the client id and, once, the secret');
  return { rowId, clientId, secret };
}

async function clientCredentials(server: TestServer, clientId: string, secret: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}/o/token/`, {
    method: 'POST',
    headers: { Authorization: basicAuth(clientId, secret), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return { status: res.status, body: await res.json() as Record<string, unknown> };
}

let server: TestServer;
before(async (t) => {
  server = await startTestServer(t);
});

describe('/o/applications/', () => {
  it('sends visitors to the login page with next', async () => {
    for (const path of ['/o/applications/', '/o/applications/register/', '/o/applications/1/']) {
      const res = await server.browser().get(path);
      assert.equal(res.status, 302, path);
      const location = new URL(res.headers.get('location')!);
      assert.equal(`${location.origin}${location.pathname}`, server.config.loginUrl);
      assert.equal(location.searchParams.get('next'), path);
    }
    const post = await server.browser().post('/o/applications/register/', { name: 'x', authorization_grant_type: 'client-credentials' });
    assert.equal(post.status, 302, 'an anonymous POST registers nothing');
  });

  it('refuses bad input with 400, the form and the message, and stores nothing', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const cases: Array<[string, Record<string, string>, string]> = [
      ['empty name', { name: '  ', authorization_grant_type: 'client-credentials' }, 'This field is required.'],
      ['authorization code without a redirect URI', { name: 'web', authorization_grant_type: 'authorization-code', redirect_uris: '' },
        'The authorization-code grant needs at least one redirect URI.'],
      ['public client with client credentials', { name: 'cli', client_type: 'public', authorization_grant_type: 'client-credentials' },
        'The client-credentials grant needs a confidential client.'],
      ['redirect URI with a fragment', { name: 'web', authorization_grant_type: 'authorization-code', redirect_uris: `${CALLBACK}#frag` },
        `&quot;${CALLBACK}#frag&quot; must not contain a fragment.`],
    ];
    for (const [label, fields, message] of cases) {
      const res = await browser.submitForm('/o/applications/register/', { client_type: 'confidential', ...fields });
      assert.equal(res.status, 400, label);
      const page = await res.text();
      assert.ok(page.includes(message), `${label}: ${message}`);
      assert.ok(page.includes('Please correct the errors below.'), label);
      assert.match(page, /name="csrfmiddlewaretoken"/, `${label}: the form is shown again`);
      assert.equal(secretIn(page), undefined, label);
    }
    const list = await (await browser.get('/o/applications/')).text();
    assert.ok(list.includes('No applications yet.'), 'nothing was stored');

    const noToken = await browser.post('/o/applications/register/', { name: 'x', authorization_grant_type: 'client-credentials' });
    assert.equal(noToken.status, 403, 'a POST without the CSRF token is refused');
    assert.ok((await (await browser.get('/o/applications/')).text()).includes('No applications yet.'));
  });

  it('registers, shows the secret once, edits, rotates the secret and deletes', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const app = await register(browser, { name: 'machine', authorization_grant_type: 'client-credentials' });

    const list = await (await browser.get('/o/applications/')).text();
    assert.ok(list.includes(`href="/o/applications/${app.rowId}/"`) && list.includes(app.clientId), 'listed');

    const detail = await browser.get(`/o/applications/${app.rowId}/`);
    assert.equal(detail.status, 200);
    const detailPage = await detail.text();
    assert.equal(clientIdIn(detailPage), app.clientId);
    assert.ok(!detailPage.includes(app.secret), 'the detail page never shows the secret again');
    assert.equal(secretIn(detailPage), undefined);

    const first = await clientCredentials(server, app.clientId, app.secret);
    assert.equal(first.status, 200);
    assert.equal(first.body.scope, 'read write');

    const edited = await browser.submitForm(`/o/applications/${app.rowId}/update/`, {
      name: 'machine v2', client_type: 'confidential', authorization_grant_type: 'client-credentials',
    });
    assert.equal(edited.status, 303);
    assert.equal(edited.headers.get('location'), `/o/applications/${app.rowId}/`);
    const afterEdit = await (await browser.get(`/o/applications/${app.rowId}/`)).text();
    assert.ok(afterEdit.includes('machine v2'), 'the new name is shown');
    assert.equal(clientIdIn(afterEdit), app.clientId, 'editing keeps the client id');
    assert.equal((await clientCredentials(server, app.clientId, app.secret)).status, 200, 'editing keeps the secret');
    const badEdit = await browser.submitForm(`/o/applications/${app.rowId}/update/`, { name: '', authorization_grant_type: 'client-credentials' });
    assert.equal(badEdit.status, 400);
    assert.ok((await badEdit.text()).includes('This field is required.'));
    assert.ok((await (await browser.get(`/o/applications/${app.rowId}/`)).text()).includes('machine v2'), 'a refused edit changes nothing');

    const rotated = await browser.submitForm(`/o/applications/${app.rowId}/`, {}, `/o/applications/${app.rowId}/rotate-secret/`);
    assert.equal(rotated.status, 303);
    const newSecret = secretIn(await (await browser.get(rotated.headers.get('location')!)).text());
    assert.ok(newSecret && newSecret !== app.secret, 'a new secret is shown once');
    assert.equal(secretIn(await (await browser.get(`/o/applications/${app.rowId}/`)).text()), undefined, 'and only once');
    const old = await clientCredentials(server, app.clientId, app.secret);
    assert.equal(old.status, 401);
    assert.equal(old.body.error, 'invalid_client');
    assert.equal((await clientCredentials(server, app.clientId, newSecret)).status, 200);

    const confirm = await browser.get(`/o/applications/${app.rowId}/delete/`);
    assert.equal(confirm.status, 200);
    const deleted = await browser.submitForm(`/o/applications/${app.rowId}/delete/`, {});
    assert.equal(deleted.status, 303);
    assert.equal(deleted.headers.get('location'), '/o/applications/');
    assert.ok((await (await browser.get('/o/applications/')).text()).includes('No applications yet.'));
    assert.equal((await browser.get(`/o/applications/${app.rowId}/`)).status, 404);
    const gone = await clientCredentials(server, app.clientId, newSecret);
    assert.equal(gone.status, 401);
    assert.equal(gone.body.error, 'invalid_client');
  });

  it("another user's application is 404 on every page, and stays untouched", async () => {
    const owner = await server.make.user();
    const intruder = await server.make.user();
    const app = await register(await server.signIn(owner.email, owner.password), { name: 'private', authorization_grant_type: 'client-credentials' });
    const browser = await server.signIn(intruder.email, intruder.password);
    for (const path of [`/o/applications/${app.rowId}/`, `/o/applications/${app.rowId}/update/`, `/o/applications/${app.rowId}/delete/`]) {
      assert.equal((await browser.get(path)).status, 404, path);
    }
    const list = await (await browser.get('/o/applications/')).text();
    assert.ok(!list.includes(app.clientId), "another user's application is not listed");
    const token = browser.cookie('XSRF-TOKEN')!;
    for (const action of ['update', 'rotate-secret', 'delete']) {
      const res = await browser.post(`/o/applications/${app.rowId}/${action}/`, {
        csrfmiddlewaretoken: token, name: 'hijacked', authorization_grant_type: 'client-credentials',
      });
      assert.equal(res.status, 404, action);
    }
    assert.equal((await browser.get('/o/applications/not-a-number/')).status, 404);
    const stillWorks = await clientCredentials(server, app.clientId, app.secret);
    assert.equal(stillWorks.status, 200, 'the owner’s client and secret are unchanged');
  });

  it('#18 registration answers POST/redirect/GET: the secret, with a Copy button, once on the page it leads to, for that session only', async () => {
    const user = await server.make.user();
    const browser = await server.signIn(user.email, user.password);
    const res = await browser.submitForm('/o/applications/register/', {
      name: 'prg', client_type: 'confidential', authorization_grant_type: 'authorization-code', redirect_uris: CALLBACK,
    });
    assert.equal(res.status, 303);
    const location = res.headers.get('location')!;
    assert.match(location, /^\/o\/applications\/\d+\/$/);
    assert.doesNotMatch(res.headers.get('set-cookie') ?? '', /Path=\/;/i, 'the flash is scoped to the detail page');
    const other = await server.signIn(user.email, user.password);
    const shown = await browser.get(location);
    assert.equal(shown.headers.get('cache-control'), 'no-store');
    const page = await shown.text();
    assert.ok(secretIn(page));
    assert.match(page, /data-copy="client-secret">Copy</);
    assert.match(page, /<script src="\/static\/copy.js" defer><\/script>/);
    assert.equal(secretIn(await (await browser.get(location)).text()), undefined, 'a reload does not show it again');
    assert.equal(secretIn(await (await other.get(location)).text()), undefined, 'another session never sees it');
  });
});
