// A signed-in user whose profile lacks names is sent to fill them in during an authorization
// (docs/compatibility.md §3.3 step 1); once the profile is saved they are brought back to that authorization, by both
// spellings of the endpoint. Only a same-origin return path is followed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser } from '../helpers/cookie-jar.ts';
import { startTestServer } from '../helpers/start-server.ts';

const CALLBACK = 'http://localhost:8100/cb';

/** Reads the profile form as a browser would and saves it with names; answers the POST. */
async function saveNames(browser: Browser, formPath: string, email: string): Promise<Response> {
  const page = await (await browser.get(formPath)).text();
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1]?.replaceAll('&amp;', '&');
  const action = /<form method="post" action="(\/user\/account\/edit\/[^"]+)"/.exec(page)?.[1];
  assert.ok(action, 'the profile form');
  const next = field('next');
  return browser.post(action, { csrfmiddlewaretoken: field('csrfmiddlewaretoken')!, first_name: 'Ada', last_name: 'Lovelace', email, ...(next ? { next } : {}) });
}

for (const endpoint of ['/openid/authorize', '/o/authorize/']) {
  test(`#18 a nameless user sent to the profile from ${endpoint} returns to the authorization once it is saved`, async (t) => {
    const server = await startTestServer(t);
    const user = await server.make.user({ firstName: '', lastName: '' });
    const { client } = await server.make.client({ requireConsent: false, redirectUris: [CALLBACK] });
    const browser = await server.signIn(user.email, user.password);
    const sent = await browser.get(`${endpoint}?response_type=code&client_id=${client.clientId}&redirect_uri=${CALLBACK}&scope=openid&state=s1`);
    assert.equal(sent.status, 302);
    const profile = sent.headers.get('location')!;
    assert.ok(profile.startsWith(`/user/account/edit/${user.id}/?fix_error=1&next=`), profile);
    const saved = await saveNames(browser, profile, user.email);
    assert.equal(saved.status, 302, 'saved, the user goes back');
    const back = saved.headers.get('location')!;
    assert.ok(back.startsWith('/openid/authorize?'), back);
    const done = await browser.get(back);
    assert.ok([302, 303].includes(done.status), `status ${done.status}`);
    const cb = new URL(done.headers.get('location')!);
    assert.equal(`${cb.origin}${cb.pathname}`, CALLBACK);
    assert.ok(cb.searchParams.get('code'), 'a code is issued');
    assert.equal(cb.searchParams.get('state'), 's1');
  });
}

test('#18 the profile form follows no return path to another site', async (t) => {
  const server = await startTestServer(t);
  const user = await server.make.user({ firstName: '', lastName: '' });
  const browser = await server.signIn(user.email, user.password);
  const saved = await saveNames(browser, `/user/account/edit/${user.id}/?fix_error=1&next=${encodeURIComponent('https://evil.example/x')}`, user.email);
  assert.equal(saved.status, 200, 'the page itself, with its notice');
  assert.match(await saved.text(), /Information successfully updated!/);
});
