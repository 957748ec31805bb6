// #17 review: PostgreSQL refuses NUL (\0) in text, so a credential or a filter carrying one reached
// the database and came back as a 500. Credentials with one are simply wrong (and still counted by
// the throttle); admin API text with a control character is a 400 VALIDATION_FAILED.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { AdminCaller } from '../helpers/admin.fixture.ts';
import { pageText } from '../helpers/page-text.ts';
import { basic, FORBIDDEN, startProxyFixture, type ProxyFixture } from '../proxy/proxy.fixture.ts';

const BAD_CREDENTIALS = 'Please enter a correct email address and password. Note that both fields may be case-sensitive.';
const NUL_EMAIL = 'a\0b@x.com';

let F: ProxyFixture;
before(async (t) => { F = await startProxyFixture(t, { DJAM_LOGIN_RATE_LIMIT: '3', DJAM_KEY_CHECK_RATE_LIMIT: '1000' }); });

const b64 = (text: string) => Buffer.from(text).toString('base64');
const drfJson = { accept: 'application/json' };

describe('#17 review: NUL bytes at the credential doors are wrong credentials, not a 500', () => {
  test('#17 review: Basic with a NUL in the e-mail at the proxy is its usual refusal', async () => {
    for (const authorization of [basic(NUL_EMAIL, 'pw'), basic(F.people.alice.email, 'alice\0pass')]) {
      const res = await fetch(`${F.B}/service/up/`, { headers: { authorization } });
      assert.equal(res.status, 403);
      assert.equal(await res.text(), FORBIDDEN);
    }
  });

  test('#17 review: Basic with a NUL or a control character at a DRF door is 403 Invalid username/password.', async () => {
    for (const authorization of [basic(NUL_EMAIL, 'pw'), basic('tab\t@x.com', 'pw'), basic(F.people.alice.email, 'alicepass\0')]) {
      const res = await fetch(`${F.B}/public_api/users/`, { headers: { authorization, ...drfJson } });
      assert.deepEqual([res.status, await res.json()], [403, { detail: 'Invalid username/password.' }], JSON.stringify(authorization));
    }
  });

  test('#17 review: credentials introspection of a username with a NUL names no user (404)', async () => {
    const res = await fetch(`${F.B}/openid/credentials/introspect/?u=${encodeURIComponent(b64('a\0b'))}&p=${encodeURIComponent(b64('pw'))}`, { headers: drfJson });
    assert.equal(res.status, 404, await res.text());
  });

  test('#17 review: the login form with a NUL in the e-mail re-renders with the invalid-credentials message', async () => {
    const res = await F.server.browser().submitForm('/accounts/login/', { username: 'a\0@x.com', password: 'pw' });
    assert.equal(res.status, 200);
    assert.ok(pageText(await res.text()).includes(BAD_CREDENTIALS));
  });

  test('#17 review: attempts with a NUL are counted by the credential throttle', async () => {
    const authorization = basic('counted\0@x.com', 'pw');
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${F.B}/public_api/users/`, { headers: { authorization, ...drfJson } })).status);
    assert.deepEqual(statuses, [403, 403, 403, 429]);
  });
});

describe('#17 review: admin API text with a control character is a 400 VALIDATION_FAILED', () => {
  let admin: AdminCaller;
  before(async () => { admin = new AdminCaller(F.server, { browser: await F.server.signIn(F.people.admin.email, F.people.admin.password) }); });

  const refused = (res: { status: number; body: { error?: string } }, why: string) =>
    assert.deepEqual([res.status, res.body.error], [400, 'VALIDATION_FAILED'], `${why}: ${JSON.stringify(res.body)}`);

  test('#17 review: list filters and searches with a NUL', async () => {
    for (const path of ['/audit-log?entity_id=%00', '/audit-log?action=a%00', '/users?search=%00', '/api-keys?search=%00abc', '/jobs?type=%00', '/teams?search=x%01y']) {
      refused(await admin.get(path), path);
    }
    assert.equal((await admin.get('/users?search=alice')).status, 200, 'ordinary text still passes');
  });

  test('#17 review: bodies with a NUL', async () => {
    refused(await admin.post('/teams', { name: 'a\u0000b' }), 'team name');
    refused(await admin.post('/roles', { name: 'a\u0000b' }), 'role name');
    refused(await admin.post('/resources', { slug: 'nul', description: 'a\u0000b' }), 'resource description');
    refused(await admin.patch(`/users/${F.people.bob.id}`, { first_name: 'Bo\u0000b' }), 'first name');
    const described = await admin.post('/resources', { slug: 'lines', description: 'two\nlines\twith a tab' });
    assert.equal(described.status, 201, 'line breaks and tabs are text');
  });
});
