// #17 item 15: what a client may not tell the upstream. Headers that name a proxy hop or the
// caller's identity come from DJAM alone, whatever their spelling (WSGI servers read
// `X_DJAM_IDENTITY` as `X-DJAM-Identity`), and X-Forwarded-* say what DJAM established of the
// client: from an untrusted peer, the peer itself; behind a trusted proxy (DJAM_TRUST_PROXY),
// the client that proxy reported.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { before, describe, test } from 'node:test';
import type { TeardownContext } from '../helpers/start-server.ts';
import type { Echo } from '../helpers/upstream.ts';
import { basicOf, startProxyFixture, type ProxyFixture } from './proxy.fixture.ts';

// The file-level before()'s context: each describe's server hands its teardown to this context's
// after(), which runs once the file's tests are done (a describe's own before() has no after()).
let file: TeardownContext;
before((t) => { file = t; });

/** node:http sends header names as written (underscores included); the upstream echoes what arrived. */
function echoed(F: ProxyFixture, headers: Record<string, string>): Promise<Echo> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(F.B);
    request({ hostname, port, path: '/service/up', headers: { authorization: basicOf(F.people.alice), ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`expected the echo, got ${res.statusCode}: ${body}`));
        resolve(JSON.parse(body) as Echo);
      });
    }).on('error', reject).end();
  });
}

const normalised = (name: string) => name.toLowerCase().replaceAll('_', '-');

describe('from a peer that is not a trusted proxy (the default)', () => {
  let F: ProxyFixture;
  before(async () => { F = await startProxyFixture(file); });

  test('#17 item 15: forged identity, hop and proxy headers never reach the upstream, however spelled', async () => {
    const echo = await echoed(F, {
      X_DJAM_IDENTITY: 'forged', 'x-djam_identity': 'forged', Remote_User: 'admin@example.com', Forwarded: 'for=198.51.100.1;proto=https',
      'X-Real-IP': '198.51.100.1', 'Proxy-Authorization': 'Basic YWRtaW46YWRtaW4=', 'X-Forwarded-Port': '443', 'X-Forwarded-Prefix': '/evil',
      X_Forwarded_For: '198.51.100.1', X_Forwarded_Host: 'evil.example', 'x-kept': 'yes',
    });
    const names = Object.keys(echo.headers);
    for (const name of ['forwarded', 'x-real-ip', 'proxy-authorization', 'remote-user', 'x-forwarded-port', 'x-forwarded-prefix']) {
      assert.deepEqual(names.filter((n) => normalised(n) === name), [], name);
    }
    assert.deepEqual(names.filter((n) => normalised(n) === 'x-djam-identity'), ['x-djam-identity'], 'only the identity DJAM signed');
    assert.equal(String(echo.headers['x-djam-identity']).split('.').length, 3);
    assert.deepEqual(names.filter((n) => n.includes('_')), [], 'no underscore spelling of any of them');
    assert.equal(echo.headers['x-kept'], 'yes', 'other headers pass');
  });

  test("#17 item 15: X-Forwarded-For, -Host and -Proto are the peer's, not what the client claims", async () => {
    const echo = await echoed(F, { 'X-Forwarded-For': '10.0.0.1', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' });
    assert.equal(echo.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(echo.headers['x-forwarded-host'], new URL(F.B).host);
    assert.equal(echo.headers['x-forwarded-proto'], 'http');
  });
});

describe('behind a trusted proxy (DJAM_TRUST_PROXY=loopback)', () => {
  let F: ProxyFixture;
  before(async () => { F = await startProxyFixture(file, { DJAM_TRUST_PROXY: 'loopback' }); });

  test('#17 item 15: X-Forwarded-* name the client the trusted proxy reported, not what came before it', async () => {
    // The trusted proxy appended the client's address to a value the client made up.
    const echo = await echoed(F, { 'X-Forwarded-For': '198.51.100.66, 203.0.113.7', 'X-Forwarded-Host': 'djam.example.org', 'X-Forwarded-Proto': 'https' });
    assert.equal(echo.headers['x-forwarded-for'], '203.0.113.7');
    assert.equal(echo.headers['x-forwarded-host'], 'djam.example.org');
    assert.equal(echo.headers['x-forwarded-proto'], 'https');
  });
});
