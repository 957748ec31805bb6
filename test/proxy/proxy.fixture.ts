// The proxy's part of fixture "F" (docs/compatibility.md §13.1) against a real upstream, plus a few additions:
// a user holding a role directly, a superuser, an inactive user, a resource without any rule and
// one whose upstream is down.
import { afterOf, startTestServer, type TeardownContext, type TestServer } from '../helpers/start-server.ts';
import { closedPort, startUpstream, type Echo, type Upstream } from '../helpers/upstream.ts';

export const FORBIDDEN = 'The user does not have enough permissions to see the page';

export interface Person { id: number; email: string; password: string }

export interface ProxyFixture {
  server: TestServer;
  upstream: Upstream;
  B: string;
  people: Record<'admin' | 'alice' | 'bob' | 'dave' | 'ghost', Person>;
  /** Resource keys of docs/compatibility.md §13.1 (AR, AX, AE), alice's management key AM, the inactive user's GR. */
  keys: Record<'AR' | 'AX' | 'AE' | 'AM' | 'GR', string>;
}

/** The proxy takes Basic as plain Base64 of `email:password`, with no URL-encoding (docs/compatibility.md §8.1). */
export function basic(email: string, password: string): string {
  return `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;
}

export function basicOf(p: Person): string {
  return basic(p.email, p.password);
}

/** `t`: where the teardown goes: a file-level before()'s context (its after() runs once the file's tests are done), or a test's. */
export async function startProxyFixture(t: TeardownContext, env: Record<string, string> = {}): Promise<ProxyFixture> {
  const upstream = await startUpstream();
  const server = await startTestServer(t, env);
  // The upstream closes after the server.
  afterOf(t)(() => upstream.close());
  const { make } = server;
  const admin = await make.user({ email: 'admin@example.com', password: 'adminpass', isSuperuser: true, isStaff: true });
  const alice = await make.user({ email: 'alice@example.com', password: 'alicepass' });
  const bob = await make.user({ email: 'bob@example.com', password: 'bobpass' });
  const dave = await make.user({ email: 'dave@example.com', password: 'davepass' });
  const ghost = await make.user({ email: 'ghost@example.com', password: 'ghostpass', isActive: false });
  const team1 = await make.team('team1', [alice.id, ghost.id]);
  await make.team('team2', [alice.id]);
  const viewer = await make.role('viewer', { teamIds: [team1.id] });
  const direct = await make.role('direct', { userIds: [dave.id] });
  const service = (slug: string, url: string) => make.resource({ slug, type: 'Upstream Service', url });
  const up = await service('up', `${upstream.origin}/echo`);
  await make.rule(up.id, viewer.id, true);
  await make.rule(up.id, direct.id, true);
  await make.rule((await make.resource({ slug: 'notype', url: `${upstream.origin}/notype` })).id, viewer.id, true);
  await make.rule((await service('inactive', `${upstream.origin}/inactive`)).id, viewer.id, false);
  await service('norule', `${upstream.origin}/norule`);
  await make.rule((await service('down', `http://127.0.0.1:${await closedPort()}/down`)).id, viewer.id, true);
  await make.rule((await service('root', upstream.origin)).id, viewer.id, true);
  const keys = {
    AR: (await make.apiKey(alice.id, 'resource')).key,
    AX: (await make.apiKey(alice.id, 'resource', { revoked: true })).key,
    AE: (await make.apiKey(alice.id, 'resource', { expiryDays: -1 })).key,
    AM: (await make.apiKey(alice.id, 'management')).key,
    GR: (await make.apiKey(ghost.id, 'resource')).key,
  };
  return { server, upstream, B: server.url, people: { admin, alice, bob, dave, ghost }, keys };
}

/** The upstream's echo of a proxied request; fails loudly when the answer is not one. */
export async function echoOf(res: Response): Promise<Echo> {
  const text = await res.text();
  if (res.status !== 200) throw new Error(`expected the upstream echo, got ${res.status}: ${text}`);
  return JSON.parse(text) as Echo;
}
