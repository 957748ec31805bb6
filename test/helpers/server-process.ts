// The server as production runs it: `node --import tsx src/main.ts` in a child process, on the
// PostgreSQL test database. For the tests (and benchmarks) of several workers behind one port and
// of several nodes on one database.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveKeys, type SecretKeys } from '../../src/crypto/keys.ts';
import type { Database } from '../../src/db/client.ts';
import { ensureSigningKey } from '../../src/signing-keys/index.ts';
import { cleanEnv } from './cli-process.ts';
import { factories } from './factories.ts';
import { freePort } from './start-server.ts';
import { openTestDatabase } from './test-database.ts';
import { waitForHttp } from './wait-for.ts';

const repoRoot = new URL('../..', import.meta.url).pathname;

export interface ServerProcess {
  url: string;
  pid: number;
  /** What the process wrote so far, stdout (the JSON log lines) and stderr together. */
  output(): string;
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `src/main.ts` on a free port with `env` (DJAM_* of the runner's environment left out) and waits for /healthz. */
export async function startServerProcess(env: Record<string, string>, opts: { siteUrl?: string } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...cleanEnv(), DJAM_HOST: '127.0.0.1', DJAM_PORT: String(port), SITEURL: `${opts.siteUrl ?? url}/`, DJAM_LOG_LEVEL: 'warn',
      DJAM_LOG_FORMAT: 'json', DJAM_DATA_DIR: mkdtempSync(join(tmpdir(), 'djam-proc-')), ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk; });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk; });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = waitForHttp(`${url}/healthz`, 60_000);
  const early = exited.then((code) => { throw new Error(`the server exited with ${code} before answering:\n${output}`); });
  await Promise.race([started, early]);
  early.catch(() => undefined);
  return {
    url, pid: child.pid!, output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A request over a connection of its own, so that node:cluster hands it to the next worker. */
export function sendOnNewConnection(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`${url} did not answer within 10 s`)));
    req.on('error', reject).end(init.body);
  });
}

/** The pid of the process that answered /metrics (loopback callers are let in). */
export async function answeringPid(url: string): Promise<number> {
  const { body } = await sendOnNewConnection(`${url}/metrics`);
  return Number(/^djam_process_info\{pid="(\d+)"\} 1$/m.exec(body)?.[1]);
}

interface SharedDatabase {
  database: Database;
  keys: SecretKeys;
  make: ReturnType<typeof factories>;
  /** DJAM_DB_* and DJAM_SECRET_KEY: what a server process needs to serve this database. */
  env: Record<string, string>;
}

/**
 * A migrated PostgreSQL test database with its signing key made (as a deployment's first start
 * would), for server processes to share; `database.close()` drops it.
 */
export async function openSharedDatabase(): Promise<SharedDatabase> {
  const database = await openTestDatabase();
  const secret = randomBytes(32).toString('hex');
  const keys = deriveKeys(secret);
  await ensureSigningKey({ db: database.db, keys });
  return { database, keys, make: factories({ db: database.db, keys }), env: { ...database.settings, DJAM_SECRET_KEY: secret } };
}

/**
 * Two nodes (separate processes and ports) on one database, serving one public URL as behind a
 * load balancer. `t.after` stops both, then drops the database.
 */
export async function startTwoNodes(t: { after(fn: () => Promise<void>): void }, env: Record<string, string> = {}) {
  const shared = await openSharedDatabase();
  const nodes: ServerProcess[] = [];
  t.after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await shared.database.close();
  });
  nodes.push(await startServerProcess({ ...shared.env, ...env }));
  nodes.push(await startServerProcess({ ...shared.env, ...env }, { siteUrl: nodes[0].url }));
  return { ...shared, a: nodes[0], b: nodes[1] };
}
