// Fixture "F" of docs/compatibility.md §13.1 as the GeoServer scenarios (§13.2) use it, plus small helpers to
// call the server the way GeoServer does: plain GETs, JSON bodies, no cookies.
import assert from 'node:assert/strict';
import { startTestServer, type TeardownContext, type TestServer } from '../helpers/start-server.ts';

export interface Person { id: number; email: string; password: string }

export interface GeoServerFixture {
  server: TestServer;
  B: string;
  people: Record<'admin' | 'alice' | 'bob' | 'staff', Person>;
  keys: Record<'AM' | 'AR' | 'AX' | 'AE' | 'AME' | 'BR' | 'DM' | 'DR', string>;
  teamIds: Record<'team1' | 'team2' | 'empty', number>;
}

export interface Answer { status: number; headers: Headers; text: string; body: unknown }

export const CALLBACK = 'http://localhost:8100/cb';
export const DETAIL = {
  notProvided: 'Authentication credentials were not provided.',
  badBasic: 'Invalid username/password.',
  forbidden: 'You do not have permission to perform this action.',
  invalidKey: 'Invalid resource key',
} as const;
export const NO_IDENTITY = { username: null, groups: null };

export const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
/** DRF's Basic: plain Base64 of `email:password`. */
export const basic = (p: { email: string; password: string }) => `Basic ${b64(`${p.email}:${p.password}`)}`;

/** Fetches `path`, never following redirects; a 5xx fails the test on the spot. */
export async function call(B: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${B}${path}`, { redirect: 'manual', ...init });
  const text = await res.text();
  assert.ok(res.status < 500, `server error ${res.status} on ${path}: ${text}`);
  let body: unknown;
  try { body = JSON.parse(text); } catch { body = undefined; }
  return { status: res.status, headers: res.headers, text, body };
}

/** `t`: where the teardown goes: a file-level before()'s context (its after() runs once the file's tests are done), or a test's. */
export async function startGeoServerFixture(t: TeardownContext, env: Record<string, string> = {}): Promise<GeoServerFixture> {
  const server = await startTestServer(t, env);
  const { make } = server;
  const admin = await make.user({ email: 'admin@example.com', password: 'adminpass', isSuperuser: true, isStaff: true, firstName: 'Ad', lastName: 'Min' });
  const alice = await make.user({ email: 'alice@example.com', password: 'alicepass', firstName: 'Alice', lastName: 'Liddell' });
  const bob = await make.user({ email: 'bob@example.com', password: 'bobpass', firstName: 'Bob', lastName: 'Builder' });
  const staff = await make.user({ email: 'staff@example.com', password: 'staffpass', isStaff: true, firstName: 'Sam', lastName: 'Staff' });
  const teamIds = {
    team1: (await make.team('team1', [alice.id, staff.id])).id,
    team2: (await make.team('team2', [alice.id])).id,
    empty: (await make.team('empty')).id,
  };
  const keys = {
    AM: (await make.apiKey(alice.id, 'management')).key,
    AR: (await make.apiKey(alice.id, 'resource')).key,
    AX: (await make.apiKey(alice.id, 'resource', { revoked: true })).key,
    AE: (await make.apiKey(alice.id, 'resource', { expiryDays: -1 })).key,
    AME: (await make.apiKey(alice.id, 'management', { expiryDays: -1 })).key,
    BR: (await make.apiKey(bob.id, 'resource')).key,
    DM: (await make.apiKey(admin.id, 'management')).key,
    DR: (await make.apiKey(admin.id, 'resource')).key,
  };
  const viewer = await make.role('viewer', { teamIds: [teamIds.team1] });
  for (const [slug, type, active] of [['up', 'Upstream Service', true], ['notype', null, true], ['inactive', 'Upstream Service', false]] as const) {
    const resource = await make.resource({ slug, type, url: `http://127.0.0.1:9/${slug}` });
    await make.rule(resource.id, viewer.id, active);
  }
  const scope = 'openid profile email user_id groups token_introspection gsclient';
  await make.client({ clientId: 'gsclient', clientSecret: 'gssecret', redirectUris: [CALLBACK], requireConsent: false, scope });
  const rclient = await make.client({ clientId: 'rclient', clientSecret: 'rsecret', redirectUris: [CALLBACK], requireConsent: false, scope: 'openid' });
  await make.preventLogin(rclient.client.id, [teamIds.team1]);
  return { server, B: server.url, people: { admin, alice, bob, staff }, keys, teamIds };
}
