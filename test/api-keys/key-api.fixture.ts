// The part of fixture "F" (docs/compatibility.md §13.1) the key-API scenarios use, and a small client for the API.
import assert from 'node:assert/strict';
import { startTestServer, type TeardownContext, type TestServer } from '../helpers/start-server.ts';

export const KEY_API = '/openid/api/token/';
export const DETAIL = {
  notProvided: 'Authentication credentials were not provided.',
  invalidToken: 'Invalid token.',
  expiredToken: 'Permissions error: Your token as been expired. Please renew it !',
  refused: 'No access permissions or invalid resource key',
  badExpiry: 'Invalid format or expiration date.',
  badRevoked: 'Invalid revoked value.',
} as const;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY_MS = 24 * 3600 * 1000;

export interface Answer { status: number; headers: Headers; text: string; body: Record<string, unknown> }

export interface KeyApiFixture {
  server: TestServer;
  B: string;
  ids: { alice: number; bob: number; admin: number };
  /** Key values of docs/compatibility.md §13.1, plus AMR (alice's revoked management key) for the §0.4 fix. */
  keys: Record<'AM' | 'AR' | 'AX' | 'AE' | 'AME' | 'BR' | 'DM' | 'DR' | 'AMR', string>;
  keyIds: Record<string, number>;
  /** POSTs `body` as JSON to an action of the key API with `Authorization: Token <token>`. */
  post(action: string, token: string | undefined, body?: unknown): Promise<Answer>;
  send(path: string, init: RequestInit): Promise<Answer>;
}

export async function readAnswer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try { body = JSON.parse(text) as Record<string, unknown>; } catch { /* not JSON: assertions on `text` tell */ }
  assert.ok(res.status < 500, `server error ${res.status}: ${text}`);
  return { status: res.status, headers: res.headers, text, body };
}

/** `t`: where the teardown goes: a file-level before()'s context (its after() runs once the file's tests are done), or a test's. */
export async function startKeyApiFixture(t: TeardownContext, env: Record<string, string> = {}): Promise<KeyApiFixture> {
  const server = await startTestServer(t, env);
  const { make } = server;
  const admin = await make.user({ email: 'admin@example.com', password: 'adminpass', isSuperuser: true, isStaff: true, firstName: 'Ad', lastName: 'Min' });
  const alice = await make.user({ email: 'alice@example.com', password: 'alicepass', firstName: 'Alice', lastName: 'Liddell' });
  const bob = await make.user({ email: 'bob@example.com', password: 'bobpass', firstName: 'Bob', lastName: 'Builder' });
  await make.team('team1', [alice.id]);
  await make.team('team2', [alice.id]);
  await make.team('empty');
  const made = {
    AM: await make.apiKey(alice.id, 'management'),
    AR: await make.apiKey(alice.id, 'resource'),
    AX: await make.apiKey(alice.id, 'resource', { revoked: true }),
    AE: await make.apiKey(alice.id, 'resource', { expiryDays: -1 }),
    AME: await make.apiKey(alice.id, 'management', { expiryDays: -1 }),
    BR: await make.apiKey(bob.id, 'resource'),
    DM: await make.apiKey(admin.id, 'management'),
    DR: await make.apiKey(admin.id, 'resource'),
    AMR: await make.apiKey(alice.id, 'management', { revoked: true }),
  };
  const B = server.url;
  const send = async (path: string, init: RequestInit) => readAnswer(await fetch(`${B}${path}`, { redirect: 'manual', ...init }));
  return {
    server, B, ids: { alice: alice.id, bob: bob.id, admin: admin.id },
    keys: Object.fromEntries(Object.entries(made).map(([k, v]) => [k, v.key])) as KeyApiFixture['keys'],
    keyIds: Object.fromEntries(Object.entries(made).map(([k, v]) => [k, v.id])),
    send,
    post: (action, token, body = {}) => send(`${KEY_API}${action}/`, {
      method: 'POST', body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Token ${token}` }) },
    }),
  };
}

/** Asserts an ISO UTC datetime as the API writes it and that it lies `days` from now, within 2 minutes. */
export function assertAbout(value: unknown, days: number): void {
  assert.equal(typeof value, 'string');
  assert.match(value as string, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
  assert.doesNotMatch(value as string, /\.000Z$/);
  const delta = Date.parse(value as string) - (Date.now() + days * DAY_MS);
  assert.ok(Math.abs(delta) < 2 * 60_000, `${String(value)} is not about ${days} days from now`);
}

/** `days` from now at 08:30 UTC, as the API's expiry parameter with milliseconds `fraction`. */
export function expiryParam(days: number, fraction = '000'): { param: string; date: string } {
  const date = new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
  return { param: `${date}T08:30:00.${fraction}Z`, date };
}
