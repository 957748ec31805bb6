// docs/compatibility.md §8.3: what crosses the proxy. The upstream (a real echo server) reports what it received;
// the client sees what the proxy sent back. The server runs with a 500 ms upstream timeout.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { request, type IncomingHttpHeaders } from 'node:http';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { Echo } from '../helpers/upstream.ts';
import { basicOf, echoOf, startProxyFixture, type ProxyFixture } from './proxy.fixture.ts';

let F: ProxyFixture;
let alice: string;
before(async (t) => {
  F = await startProxyFixture(t, { DJAM_PROXY_TIMEOUT_MS: '500' });
  alice = basicOf(F.people.alice);
});

/** GET as alice by Basic; a header given as '' is left out (`authorization: ''`: no Basic). */
function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  const sent = Object.entries({ authorization: alice, ...headers }).filter(([, v]) => v !== '');
  return fetch(`${F.B}${path}`, { headers: sent, redirect: 'manual' });
}

/** node:http sends the path and headers as written (fetch resolves dot segments and refuses hop-by-hop headers). */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(F.B);
    request({ hostname, port, path, headers: { authorization: alice, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    }).on('error', reject).end();
  });
}

describe('compatibility.md §8.3 paths and query strings', () => {
  test('sub-paths map under the resource URL (new, compatibility.md §8 MAY)', async () => {
    assert.equal((await echoOf(await get('/service/up/a/b.json?x=1'))).url, '/echo/a/b.json?x=1');
    assert.equal((await echoOf(await get('/service/up/'))).url, '/echo/');
    assert.equal((await echoOf(await get('/service/root'))).url, '/');
    assert.equal((await echoOf(await get('/service/root/wms?x=1'))).url, '/wms?x=1');
  });

  test('encoded characters in a sub-path reach the upstream as sent', async () => {
    assert.equal((await echoOf(await get('/service/up/a%2Fb/c%20d/%C3%A9'))).url, '/echo/a%2Fb/c%20d/%C3%A9');
  });

  test('dot segments cannot climb out of the resource URL', async () => {
    for (const rest of ['..%2F..%2Fsecret', '%2e%2e/secret', '.%2E/secret', 'a/%2e%2e/%2e%2e/secret', '..%5Csecret', '../secret', '%E0%A4%A']) {
      // node:http sends the path as written; fetch would resolve the dot segments first.
      const res = await rawGet(`/service/up/${rest}`);
      assert.equal(res.status, 400, `${rest}: ${res.status} ${res.body}`);
    }
    assert.deepEqual([...F.upstream.hits.keys()].filter((p) => p.includes('secret')), []);
  });

  test('repeated parameters keep their order and spelling; authkey is removed', async () => {
    const query = 'b=2&a=1&b=3&authkey=whatever&flag&list=1,2,3&sp=x%20y&plus=x+y&c=%2F';
    assert.equal((await echoOf(await get(`/service/up?${query}`))).url, '/echo?b=2&a=1&b=3&flag&list=1,2,3&sp=x%20y&plus=x+y&c=%2F');
    assert.equal((await echoOf(await get(`/service/up?authkey=${F.keys.AR}&AUTHKEY=kept`, { authorization: '' }))).url, '/echo?AUTHKEY=kept');
    assert.equal((await echoOf(await get('/service/up?auth%6Bey=encoded-name&x=1'))).url, '/echo?x=1');
  });
});

describe('compatibility.md §8.3 request headers', () => {
  test('the upstream sees X-Forwarded-*, the upstream Host, other cookies and headers', async () => {
    const echo = await echoOf(await get('/service/up', {
      cookie: 'theme=dark; djam_sessionid=stolen; XSRF-TOKEN=t; lang=en', 'x-custom': 'kept', 'x-forwarded-for': '10.0.0.1',
    }));
    const host = new URL(F.B).host;
    assert.equal(echo.headers['x-forwarded-for'], '127.0.0.1', "the client's own value is not passed on (#17 item 15)");
    assert.equal(echo.headers['x-forwarded-proto'], 'http');
    assert.equal(echo.headers['x-forwarded-host'], host);
    assert.equal(echo.headers.host, new URL(F.upstream.origin).host);
    assert.equal(echo.headers.cookie, 'theme=dark; lang=en');
    assert.equal(echo.headers['x-custom'], 'kept');
  });

  test('DJAM credentials never reach the upstream', async () => {
    const echo = await echoOf(await get(`/service/up?authkey=${F.keys.AR}`, { authorization: '', cookie: 'djam_sessionid=x; XSRF-TOKEN=y' }));
    assert.equal(echo.headers.cookie, undefined);
    assert.equal(echo.url, '/echo');
    const basicEcho = await echoOf(await get('/service/up'));
    assert.equal(basicEcho.headers.authorization, undefined, 'the consumed Basic header');
  });

  test('identity headers a client makes up are replaced or dropped', async () => {
    const echo = await echoOf(await get('/service/up', { 'x-djam-identity': 'forged', 'remote-user': 'admin@example.com', 'x-forwarded-proto': 'https' }));
    assert.notEqual(echo.headers['x-djam-identity'], 'forged');
    assert.equal(echo.headers['remote-user'], undefined, 'docs/compatibility.md §8.3: Remote-User is dropped');
    assert.equal(echo.headers['x-forwarded-proto'], 'http');
  });

  test('X-DJAM-Identity is a JWT the upstream verifies with the public JWKS', async () => {
    const echo = await echoOf(await get('/service/up'));
    const token = String(echo.headers['x-djam-identity']);
    assert.equal(decodeProtectedHeader(token).typ, 'djam-identity+jwt');
    const jwks = createRemoteJWKSet(new URL(`${F.B}/openid/jwks`));
    const { payload } = await jwtVerify(token, jwks, { issuer: F.server.config.issuer, audience: F.upstream.origin });
    assert.equal(payload.sub, String(F.people.alice.id));
    assert.equal(payload.email, F.people.alice.email);
    assert.deepEqual(payload.groups, ['team1', 'team2']);
    assert.equal(payload.is_admin, false);
    assert.ok(payload.exp! - payload.iat! <= 120, 'short-lived');
    await assert.rejects(jwtVerify(token, jwks, { issuer: F.server.config.issuer, audience: 'http://elsewhere.example' }));
  });
});

describe('hop-by-hop headers stay on their own connection (RFC 9110 §7.6.1)', () => {
  test('those the client lists in Connection, and Keep-Alive, do not reach the upstream', async () => {
    const res = await rawGet('/service/up', { connection: 'keep-alive, x-hop', 'x-hop': 'for DJAM only', 'keep-alive': 'timeout=1', 'x-kept': 'yes' });
    const echo = JSON.parse(res.body) as Echo;
    assert.equal(echo.headers['x-hop'], undefined);
    assert.notEqual(echo.headers['keep-alive'], 'timeout=1');
    assert.equal(echo.headers['x-kept'], 'yes');
  });

  test('a client cannot strip what DJAM adds by listing it in Connection', async () => {
    const res = await rawGet('/service/up', { connection: 'x-djam-identity, x-forwarded-for', 'x-forwarded-for': '10.0.0.1' });
    const echo = JSON.parse(res.body) as Echo;
    assert.ok(String(echo.headers['x-djam-identity']).split('.').length === 3, 'the signed identity is there');
    assert.equal(echo.headers['x-forwarded-for'], '127.0.0.1', 'a hop-by-hop X-Forwarded-For starts a new chain');
  });

  test("the upstream's connection headers are not passed to the client", async () => {
    // node:http answers the proxy with `Keep-Alive: timeout=5`; the client's connection is DJAM's.
    const res = await rawGet('/service/up');
    assert.equal(res.status, 200);
    assert.notEqual(res.headers['keep-alive'], 'timeout=5');
  });
});

describe('compatibility.md §8.3 responses', () => {
  test('status, body and (scoped) Set-Cookie of the upstream come back; our security headers do not break its pages', async () => {
    const res = await get('/service/up/_status?code=418');
    assert.equal(res.status, 418);
    assert.equal(await res.text(), 'status page');
    const echo = await get('/service/up');
    assert.deepEqual(echo.headers.getSetCookie(), ['upstream_cookie=1; Path=/service/up'], 'kept to the service (#17 item 7)');
    await echo.text();
    const page = await get('/service/up/_page');
    assert.equal(await page.text(), '<script>1</script>');
    assert.match(page.headers.get('content-security-policy') ?? '', /^sandbox allow-scripts /, 'not the CSP of our own pages, the sandbox only (#17 item 7)');
    assert.equal(page.headers.get('x-frame-options'), 'SAMEORIGIN');
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff', 'what the upstream left out is filled in');
  });

  test('an upstream 503 is answered once, not retried', async () => {
    const before = F.upstream.hits.get('/echo/_status') ?? 0;
    const res = await get('/service/up/_status?code=503');
    assert.equal(res.status, 503);
    await res.text();
    assert.equal(F.upstream.hits.get('/echo/_status'), before + 1);
  });

  test('redirects are passed back with Location rewritten to this server', async () => {
    const up = F.upstream.origin;
    const cases: Array<[string, string]> = [
      [`${up}/echo/next?a=1`, `${F.B}/service/up/next?a=1`],
      ['/echo/next', `${F.B}/service/up/next`],
      [`${up}/echo`, `${F.B}/service/up`],
      [`${up}/elsewhere`, `${F.B}/elsewhere`],
      [`${up}/echoes`, `${F.B}/echoes`],
      ['https://example.com/x', 'https://example.com/x'],
    ];
    for (const [to, expected] of cases) {
      const res = await get(`/service/up/_redirect?to=${encodeURIComponent(to)}`);
      assert.equal(res.status, 302, to);
      assert.equal(res.headers.get('location'), expected, to);
    }
    const relative = await get(`/service/up/sub/_redirect?to=${encodeURIComponent('sibling')}`);
    assert.equal(relative.headers.get('location'), `${F.B}/service/up/sub/sibling`);
  });

  test('an upstream that is down is a 502 with a short message', async () => {
    const res = await get('/service/down');
    assert.equal(res.status, 502);
    assert.equal(await res.text(), 'The upstream service is unavailable.');
  });

  test('an upstream that does not answer is a 504 after DJAM_PROXY_TIMEOUT_MS, and the server stays healthy', async () => {
    const started = Date.now();
    const res = await get('/service/up/_hang');
    const elapsed = Date.now() - started;
    assert.equal(res.status, 504);
    assert.equal(await res.text(), 'The upstream service did not answer in time.');
    assert.ok(elapsed >= 400 && elapsed < 5000, `answered after ${elapsed} ms`);
    const hung = await Promise.all([1, 2, 3].map(() => get('/service/up/_hang').then((r) => r.status)));
    assert.deepEqual(hung, [504, 504, 504]);
    assert.equal((await fetch(`${F.B}/healthz`)).status, 200);
    assert.equal((await echoOf(await get('/service/up'))).url, '/echo');
  });
});
