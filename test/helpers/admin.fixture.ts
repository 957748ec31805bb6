// The admin API's test fixture: a server with a superuser, a staff member and a plain user
// signed in, and a machine holding a client-credentials token with the `admin` scope.
import { randomBytes } from 'node:crypto';
import type { Browser } from './cookie-jar.ts';
import { basicAuth } from './cookie-jar.ts';
import { startTestServer, type TeardownContext, type TestServer } from './start-server.ts';

/** A parsed JSON body as JSON.parse types it: the tests read answers field by field. */
export type Json = ReturnType<typeof JSON.parse>;
export interface JsonAnswer<T = Json> { status: number; body: T; headers: Headers }

/** Calls the admin API as one caller: a browser session (with X-CSRFToken) or a Bearer token. */
export class AdminCaller {
  constructor(private readonly server: TestServer, private readonly auth: { browser?: Browser; token?: string; csrf?: boolean }) {}

  async call<T = Json>(method: string, path: string, body?: unknown): Promise<JsonAnswer<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.auth.token) headers.authorization = `Bearer ${this.auth.token}`;
    const init: RequestInit = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
    let res: Response;
    if (this.auth.browser) {
      const csrf = this.auth.browser.cookie('XSRF-TOKEN');
      if (this.auth.csrf !== false && csrf && method !== 'GET') headers['x-csrftoken'] = csrf;
      res = await this.auth.browser.fetch(`/api/admin${path}`, init);
    } else {
      res = await fetch(`${this.server.url}/api/admin${path}`, init);
    }
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  get = <T = Json>(path: string) => this.call<T>('GET', path);
  post = <T = Json>(path: string, body?: unknown) => this.call<T>('POST', path, body ?? {});
  patch = <T = Json>(path: string, body: unknown) => this.call<T>('PATCH', path, body);
  put = <T = Json>(path: string, body: unknown) => this.call<T>('PUT', path, body);
  delete = <T = Json>(path: string) => this.call<T>('DELETE', path);
}

export interface AdminFixture {
  server: TestServer;
  superuser: AdminCaller;
  staff: AdminCaller;
  /** Signed in, but not staff. */
  member: AdminCaller;
  anonymous: AdminCaller;
  /** A staff session that sends no X-CSRFToken. */
  staffWithoutCsrf: AdminCaller;
  machine: AdminCaller;
  ids: { superuser: number; staff: number; member: number };
}

export async function clientCredentialsToken(server: TestServer, clientId: string, secret: string, scope: string): Promise<string> {
  const res = await fetch(`${server.url}/o/token/`, {
    method: 'POST',
    headers: { authorization: basicAuth(clientId, secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
  });
  const body = await res.json() as { access_token?: string };
  if (res.status !== 200 || !body.access_token) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

export async function startAdminFixture(t: TeardownContext): Promise<AdminFixture> {
  const server = await startTestServer(t);
  const su = await server.make.user({ email: 'root@example.com', isStaff: true, isSuperuser: true });
  const st = await server.make.user({ email: 'staff@example.com', isStaff: true });
  const me = await server.make.user({ email: 'member@example.com' });
  const secret = randomBytes(16).toString('hex');
  await server.make.client({ clientId: 'robot', clientSecret: secret, grantType: 'client_credentials', redirectUris: [], scope: 'admin read' });
  const token = await clientCredentialsToken(server, 'robot', secret, 'admin');
  const staffBrowser = await server.signIn(st.email, st.password);
  return {
    server,
    superuser: new AdminCaller(server, { browser: await server.signIn(su.email, su.password) }),
    staff: new AdminCaller(server, { browser: staffBrowser }),
    member: new AdminCaller(server, { browser: await server.signIn(me.email, me.password) }),
    anonymous: new AdminCaller(server, {}),
    staffWithoutCsrf: new AdminCaller(server, { browser: staffBrowser, csrf: false }),
    machine: new AdminCaller(server, { token }),
    ids: { superuser: su.id, staff: st.id, member: me.id },
  };
}
