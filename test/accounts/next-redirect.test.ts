// Issue #17 item 6: `next` on the sign-in and sign-out doors never sends a browser to another
// site. Browsers drop tabs and newlines from URLs and read `\` as `/`, so every Location is read
// here as a browser reads it (the WHATWG parser, against the page's URL).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Browser } from '../helpers/cookie-jar.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

/** `next` values as the server receives them (decoded from the query string). */
const NASTY = [
  '/\t/evil.example/', '/\\evil.example/', '//evil.example/', '///evil.example/', '/%2F%2Fevil.example/', '/%5Cevil.example/',
  'https:evil.example', 'http:\\\\evil.example', '\t//evil.example/', ' //evil.example/', '/\r\n/evil.example/', '/\n/evil.example/',
  'java\nscript:alert(1)', 'javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', '\u0000//evil.example/', '/\u007f/evil.example/',
  '/.//evil.example/', '/./\\evil.example/', 'http://evil.example/', 'https://evil.example@127.0.0.1/', '//évil.example/', '/\u3000/evil.example/',
  '/é/€/😀?q=€#€', '/\u2028//evil.example/', `/${'a'.repeat(4999)}`, `/${'a'.repeat(9000)}`,
];

interface Door { name: string; go(server: TestServer, next: string): Promise<Response> }

const query = (next: string) => `?next=${encodeURIComponent(next)}`;

/** The CSRF token of a page's form. */
async function tokenOf(browser: Browser, path: string): Promise<string> {
  const page = await (await browser.get(path)).text();
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page)?.[1];
  assert.ok(token, `a form on ${path}`);
  return token;
}

const DOORS: Door[] = [
  {
    name: 'sign-in',
    async go(server, next) {
      const user = await server.make.user();
      return server.browser().submitForm(`/accounts/login/${query(next)}`, { username: user.email, password: user.password });
    },
  },
  {
    name: 'sign-out (POST with the token)',
    async go(server, next) {
      const user = await server.make.user();
      const browser = await server.signIn(user.email, user.password);
      const token = await tokenOf(browser, '/user/account/');
      return browser.post(`/accounts/logout/${query(next)}`, { csrfmiddlewaretoken: token });
    },
  },
  {
    name: 'sign-out (GET)',
    async go(server, next) {
      const user = await server.make.user();
      return (await server.signIn(user.email, user.password)).get(`/accounts/logout/${query(next)}`);
    },
  },
];

/** Where a browser goes from `location`, reached at `pageUrl`; asserts it is a valid header value first. */
function browserTarget(location: string, pageUrl: string): URL {
  assert.match(location, /^[\x21-\x7e]+$/, 'the Location is printable ASCII: no control character, space or non-ASCII');
  return new URL(location, pageUrl);
}

/** The form actions of a page, as a browser resolves them. */
function formTargets(page: string, pageUrl: string): URL[] {
  return [...page.matchAll(/<form[^>]*action="([^"]*)"/g)].map((m) => new URL(m[1].replaceAll('&amp;', '&'), pageUrl));
}

let server: TestServer;
before(async (t) => { server = await startTestServer(t); });

describe('#17 item 6: next never leaves the site', () => {
  for (const door of DOORS) {
    test(`#17 item 6: ${door.name}: Location stays on the site for every nasty next, never a 500`, async () => {
      const origin = new URL(server.url).origin;
      for (const next of NASTY) {
        const label = `${door.name} next=${JSON.stringify(next.slice(0, 60))}`;
        const res = await door.go(server, next);
        assert.ok(res.status < 500, `${label}: answered ${res.status}`);
        const location = res.headers.get('location');
        if (res.status >= 300 && res.status < 400) {
          assert.ok(location, label);
          const target = browserTarget(location, `${server.url}/accounts/logout/`);
          assert.equal(target.origin, origin, `${label} → ${location}`);
          assert.ok(!target.pathname.startsWith('//'), `${label} → ${location}`);
        } else {
          // The confirmation page: its form comes back here, carrying only a safe next.
          const page = await res.text();
          for (const target of formTargets(page, `${server.url}/accounts/logout/`)) {
            assert.equal(target.origin, origin, `${label}: form posts to ${target.href}`);
            const kept = target.searchParams.get('next');
            if (kept !== null) assert.equal(new URL(kept, server.url).origin, origin, `${label}: form keeps next=${kept}`);
          }
        }
      }
    });
  }

  test('#17 item 6: a next on the site is still honoured (paths and own absolute URLs), normalised', async () => {
    const user = await server.make.user();
    const cases: Array<[string, string]> = [
      ['/o/applications/', '/o/applications/'],
      ['/accounts/login/?bye=1#top', '/accounts/login/?bye=1#top'],
      [`${server.url}/o/applications/`, `${server.url}/o/applications/`],
      ['/é?q=€', '/%C3%A9?q=%E2%82%AC'],
    ];
    for (const [next, expected] of cases) {
      const res = await server.browser().submitForm(`/accounts/login/${query(next)}`, { username: user.email, password: user.password });
      assert.equal(res.status, 302, next);
      assert.equal(res.headers.get('location'), expected, next);
    }
  });
});
