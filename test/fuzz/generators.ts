// fast-check generators of hostile HTTP requests: methods, targets (every route of the OpenAPI
// document plus the provider, tutorial, account, service and admin surfaces), query strings,
// headers and bodies (form, JSON, multipart, binary, huge, truncated).
import fc from 'fast-check';
import type { RawRequest } from './raw-http.ts';

export const FIXED_PATHS = [
  '/openid', '/openid/', '/openid/authorize', '/openid/authorize/', '/openid/authorize/stateless/', '/openid/token', '/openid/token/',
  '/openid/introspect', '/openid/introspect/', '/openid/revoke', '/openid/request', '/openid/userinfo', '/openid/userinfo/', '/openid/jwks',
  '/openid/end-session', '/openid/end-session/', '/openid/session/end', '/openid/session/end/confirm', '/openid/.well-known/openid-configuration',
  '/openid/interaction/x', '/openid/api/schema/', '/.well-known/openid-configuration', '/o/authorize/', '/o/token/', '/o/revoke_token/',
  '/o/introspect/', '/o/applications/', '/o/applications/1/', '/o/applications/register/', '/accounts/login/', '/accounts/logout/',
  '/accounts/password_reset/', '/accounts/password_change/', '/accounts/reset/MQ/abc-def/', '/user/register/', '/user/account/',
  '/user/account/edit/1/', '/user/account/keys/', '/user/resend_activation_email/', '/service/', '/service/geoserver/wms', '/service/x/..',
  '/admin', '/admin/', '/admin/users', '/api/admin/users', '/api/admin/session', '/api/admin/clients', '/healthz', '/readyz', '/metrics', '/',
];

const KEYS = ['client_id', 'client_secret', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'prompt', 'max_age', 'grant_type', 'code',
  'code_verifier', 'code_challenge', 'token', 'token_type_hint', 'refresh_token', 'username', 'password', 'next', 'page', 'page_size', 'search',
  'format', 'id_token_hint', 'post_logout_redirect_uri', 'request_uri', 'request', 'authkey', 'access_token', 'logout', 'xsrf', 'email'];

/** Values that broke a server before: NUL, broken percent-encoding, odd unicode, huge numbers, `..`. */
const NASTY = ['%00', '%', '%zz', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%FF%FE', '..%2f..%2f', '../..', '99999999999999999999', '-1', '1e400',
  '%0d%0aSet-Cookie:%20x=1', '%E2%80%AE', '%F0%9F%98%80', 'client', 'fuzzclient', 'openid', 'openid email', 'http://127.0.0.1:1/cb',
  '//evil.example', 'javascript:alert(1)', '[]', '{}', 'true', 'none', 'login', '0'];

const encoded = fc.string({ unit: 'grapheme', maxLength: 40 }).map(encodeURIComponent);
const value = fc.oneof(fc.constantFrom(...NASTY), encoded, fc.string({ maxLength: 20 }), fc.constant('a'.repeat(9000)));
const pair = fc.tuple(fc.oneof(fc.constantFrom(...KEYS), encoded), value).map(([k, v]) => `${k}=${v}`);
export const formLike = fc.array(pair, { maxLength: 8 }).map((pairs) => pairs.join('&'));

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'MKCOL', 'LOCK', 'PURGE', 'M-SEARCH', 'QUERY', 'LINK', 'SEARCH'];
const method = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('GET', 'POST') }, { weight: 3, arbitrary: fc.constantFrom(...METHODS) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Z][A-Z-]{0,11}$/) });

/** A path of the OpenAPI document with its `{param}`s filled in, fairly or not. */
function fillParams(template: string) {
  const param = fc.oneof(fc.constantFrom('1', '0', '-1', '99999999999999999999', 'abc', '%00', '%ff', '..', '1.5', 'null'), encoded);
  const count = (template.match(/\{[^}]+\}/g) ?? []).length;
  return fc.array(param, { minLength: count, maxLength: count }).map((vals) => { let i = 0; return template.replace(/\{[^}]+\}/g, () => vals[i++] ?? ''); });
}

const SUFFIXES = ['', '', '', '/', '//', '/..', '/../..', '/%2e%2e/', '/%00', '/%ff%fe', '/\xff\xc3', '/x', `/${'a'.repeat(3000)}`, ';x', '/%'];
function path(apiPaths: string[]) {
  const base = fc.oneof(fc.constantFrom(...FIXED_PATHS), ...(apiPaths.length ? [fc.constantFrom(...apiPaths).chain(fillParams)] : []));
  return fc.tuple(base, fc.constantFrom(...SUFFIXES)).map(([p, s]) => p + s);
}
const target = (apiPaths: string[]) => fc.tuple(path(apiPaths), fc.option(formLike, { nil: undefined }))
  .map(([p, q]) => (q === undefined ? p : `${p}?${q}`));

const basic = fc.tuple(fc.constantFrom('fuzzclient', 'client', '\0', '%00', '%zz', 'é', ''), fc.constantFrom('fuzzsecret', 'x', '\0', '', ':'))
  .map(([u, p]) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`);
const authorization = fc.oneof(basic, fc.constantFrom('Basic', 'Basic %%%', 'Basic ====', 'Bearer', 'Bearer \x01', 'Bearer a b', 'Digest x', 'Token abc', 'Basic Zm9v'),
  fc.string({ maxLength: 30 }).map((s) => `Bearer ${s}`));
const CONTENT_TYPES = ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=latin1', 'application/json', 'application/json; charset=utf-16',
  'multipart/form-data', 'multipart/form-data; boundary=XX', 'text/plain', 'application/octet-stream', 'application/jwt', '*/*', ';;;', 'application/x-www-form-urlencoded\x01'];
const controlled = fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom('\x01', '\x7f', '\x00', '\xff', '\r\nx-injected: 1', '\n', '\t')).map(([a, b]) => a + b + a);
const header = fc.oneof(
  fc.tuple(fc.constant('content-type'), fc.constantFrom(...CONTENT_TYPES)),
  fc.tuple(fc.constant('authorization'), authorization),
  fc.tuple(fc.constantFrom('accept'), fc.constantFrom('text/html', 'application/json', '*/*', 'text/html;q=0,,,', '')),
  fc.tuple(fc.constantFrom('cookie'), fc.constantFrom('djam_session=x', 'djam_session=%00', '_session=a; _session.sig=b', 'sessionid=\xff', ';;=;')),
  fc.tuple(fc.constantFrom('origin', 'referer', 'x-forwarded-for', 'x-forwarded-proto', 'x-request-id', 'dpop', 'if-none-match', 'range'), fc.oneof(controlled, fc.string({ maxLength: 30 }))),
  fc.tuple(fc.constantFrom('authorization', 'cookie', 'content-type', 'x-fuzz'), controlled),
  fc.tuple(fc.constant('x-big'), fc.constant('b'.repeat(20_000))),
);

const multipart = formLike.map((f) => `--XX\r\ncontent-disposition: form-data; name="a"\r\n\r\n${f}\r\n--XX--`);
const body = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') }, { weight: 4, arbitrary: formLike },
  { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) }, { weight: 1, arbitrary: fc.json({ maxDepth: 2 }).map((j) => j.slice(0, Math.ceil(j.length / 2))) },
  { weight: 1, arbitrary: multipart }, { weight: 1, arbitrary: multipart.map((m) => m.slice(0, m.length - 6)) },
  { weight: 1, arbitrary: formLike.map((f) => f.slice(0, Math.max(0, f.length - 2))) },
).map((s) => Buffer.from(s, 'utf8'));
const binary = fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b));
const huge = fc.constantFrom(70 * 1024, 1100 * 1024).map((n) => Buffer.alloc(n, 'a=b&'));

export function requests(apiPaths: string[]): fc.Arbitrary<RawRequest> {
  return fc.record({
    method, target: target(apiPaths),
    headers: fc.array(header, { maxLength: 4 }),
    body: fc.oneof({ weight: 20, arbitrary: body }, { weight: 2, arbitrary: binary }, { weight: 1, arbitrary: huge }),
  });
}
