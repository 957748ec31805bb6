// Starts the real server on 127.0.0.1 with a fresh database, for one test file.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { SuiteContext, TestContext } from 'node:test';
import { buildApp, type App } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { logOptions } from '../../src/logging.ts';
import { deriveKeys, type SecretKeys } from '../../src/crypto/keys.ts';
import type { Database } from '../../src/db/client.ts';
import { ensureSigningKey } from '../../src/signing-keys/index.ts';
import { Browser } from './cookie-jar.ts';
import { factories } from './factories.ts';
import { openTestDatabase } from './test-database.ts';

export interface TestServer {
  url: string;
  config: Config;
  keys: SecretKeys;
  database: Database;
  app: App;
  make: ReturnType<typeof factories>;
  browser(): Browser;
  /** A browser already signed in as the given user. */
  signIn(email: string, password: string): Promise<Browser>;
}

/**
 * A port that was free a moment ago, for a server in another process (the CLI, a second node).
 * A server in this process binds first instead (bindLoopback): a probed port can be taken by
 * another test before it is bound again.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    }).on('error', reject);
  });
}

interface TestServerOptions {
  /** Receives the server's JSON log lines (set DJAM_LOG_LEVEL in env: tests default to silent). */
  logStream?: Writable;
  /**
   * The host name of SITEURL (default 127.0.0.1; the server listens there either way). WebAuthn
   * (#22) refuses an IP address as relying party id: passkey tests use `localhost`.
   */
  siteHost?: string;
}

/**
 * Where the server's teardown goes: a test's context, a file-level before() hook's (the root
 * test's: its after() runs once every test of the file is done), or any `{ after }`.
 */
export type TeardownContext = TestContext | SuiteContext | { after(fn: () => Promise<void>): void };

/** The after() of a TeardownContext, for helpers that add their own teardown. */
export function afterOf(t: TeardownContext): (fn: () => Promise<void>) => void {
  // A describe() block's before() gets a SuiteContext, which has no after(): that suite's own
  // after() hook is the place, so say so rather than never closing the server.
  if (!('after' in t)) throw new TypeError('startTestServer needs a context with after(): a test\'s, a file-level before()\'s, or { after }');
  return (fn) => t.after(fn);
}

/** An HTTP server listening on 127.0.0.1 at a port the system picks, before the app exists. */
function bindLoopback(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createHttpServer();
    server.once('error', reject).listen(0, '127.0.0.1', () => resolve(server));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startTestServer(
  t: TeardownContext, env: Record<string, string> = {}, options: TestServerOptions = {},
): Promise<TestServer> {
  const after = afterOf(t);
  // The port is bound first and kept: the issuer (SITEURL) names it before the app is built.
  const server = await bindLoopback();
  try {
    return await startOn(server, after, env, options);
  } catch (err) {
    await closeServer(server);
    throw err;
  }
}

async function startOn(
  server: Server, after: (fn: () => Promise<void>) => void, env: Record<string, string>, options: TestServerOptions,
): Promise<TestServer> {
  const database = await openTestDatabase();
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.siteHost ?? '127.0.0.1'}:${port}`;
  const config = loadConfig({
    SITEURL: `${url}/`, DJAM_SECRET_KEY: randomBytes(32).toString('hex'), DJAM_LOG_LEVEL: process.env.DJAM_TEST_LOG_LEVEL ?? 'silent',
    DJAM_DATA_DIR: mkdtempSync(join(tmpdir(), 'djam-test-')), ...env,
  }, '/nonexistent/.env');
  const keys = deriveKeys(config.DJAM_SECRET_KEY!);
  const deps = { db: database.db, keys };
  await ensureSigningKey(deps);
  const logger = options.logStream && { ...logOptions({ ...config, DJAM_LOG_FORMAT: 'json' }), stream: options.logStream };
  // Fastify serves on the bound server (its serverFactory) instead of creating and listening on its own.
  const app = await buildApp({ config, ...deps, listen: database.listen, logger, serverFactory: (handler) => server.on('request', handler) });
  await app.app.ready();
  // The timeouts Fastify gives a server it creates (keep-alive 72 s rather than Node's 5 s).
  const { keepAliveTimeout, connectionTimeout } = app.app.initialConfig;
  if (keepAliveTimeout !== undefined) server.keepAliveTimeout = keepAliveTimeout;
  if (connectionTimeout !== undefined) server.setTimeout(connectionTimeout);
  after(async () => {
    // Fastify closes only servers it started listening: this one is closed here, connections too.
    await app.app.close();
    await closeServer(server);
    await database.close();
  });
  const make = factories({ db: database.db, keys });
  const browser = () => new Browser(url);
  return {
    url, config, keys, database, app, make, browser,
    async signIn(email, password) {
      const b = browser();
      const res = await b.submitForm('/accounts/login/', { username: email, password });
      if (res.status !== 302) throw new Error(`sign-in of ${email} failed with ${res.status}`);
      return b;
    },
  };
}
