// `npm run bench`: starts a server (embedded PGlite by default, PostgreSQL with --pg or when
// DJAM_DB_HOST is set), seeds what each scenario needs, warms up, drives each scenario with
// autocannon (50 connections, 10 s by default) and prints req/s, latency and the ratio to a
// plain JSON route measured in the same run, so machine noise cancels out. The proxy scenario
// forwards to a tiny upstream in this process and is compared with calling it directly.
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { pg: { type: 'boolean' }, duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' } } });
const usePg = values.pg || Boolean(process.env.DJAM_DB_HOST);
const port = 8765;
const base = `http://127.0.0.1:${port}`;
const env: Record<string, string> = {
  ...process.env as Record<string, string>, DJAM_PORT: String(port), DJAM_HOST: '127.0.0.1', SITEURL: `${base}/`,
  DJAM_SECRET_KEY: 'bench-secret-key-0123456789abcdef-0123456789', DJAM_LOG_LEVEL: 'warn', DJAM_DATA_DIR: mkdtempSync(join(tmpdir(), 'djam-bench-')),
};
if (usePg && !env.DJAM_DB_HOST) {
  const name = `djam_bench_${Date.now()}`;
  spawnSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-c', `CREATE DATABASE ${name}`], { stdio: 'ignore' });
  Object.assign(env, { DJAM_DB_HOST: '127.0.0.1', DJAM_DB_USER: 'postgres', DJAM_DB_PASSWORD: '', DJAM_DB_NAME: name });
}

function cli(...args: string[]): string {
  const r = spawnSync(process.execPath, ['bin/djam.js', ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`djam ${args[0]} failed: ${r.stderr}`);
  return r.stdout;
}

async function waitReady(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not start');
}

/** The upstream of the proxy scenario: a JSON hello on an ephemeral port. */
async function startUpstream(): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hello` };
}

/** There is no CLI for resources yet: a script seeds them through the services (see seed-proxy.ts). */
function seedProxy(upstreamUrl: string): { authkey: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/seed-proxy.ts', upstreamUrl, 'bench@example.com', 'bench-password'], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`seeding the proxy scenario failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { authkey: string };
}

interface Row { scenario: string; rps: number; p50: number; p99: number; non2xx: number; ratio?: number }

async function drive(scenario: string, opts: autocannon.Options): Promise<Row> {
  const connections = Number(values.connections);
  await autocannon({ ...opts, connections, duration: 2 }); // warm-up, not recorded
  const r = await autocannon({ ...opts, connections, duration: Number(values.duration) });
  return { scenario, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx };
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };

async function main(): Promise<void> {
  cli('migrate');
  const cc = JSON.parse(cli('createclient', '--name', 'bench', '--grant-type', 'client_credentials', '--client-id', 'bench', '--client-secret', 'bench-secret')) as { client_id: string };
  const basic = `Basic ${Buffer.from('bench:bench-secret').toString('base64')}`;
  const upstream = await startUpstream();
  const { authkey } = seedProxy(upstream.url);
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  try {
    await waitReady();
    const token = await fetch(`${base}/openid/token`, { method: 'POST', headers: { ...form, authorization: basic }, body: 'grant_type=client_credentials' })
      .then((r) => r.json() as Promise<{ access_token: string }>);
    const rows: Row[] = [];
    rows.push(await drive('baseline GET /healthz', { url: `${base}/healthz` }));
    rows.push(await drive('client_credentials (opaque)', { url: `${base}/openid/token`, method: 'POST', headers: { ...form, authorization: basic }, body: 'grant_type=client_credentials' }));
    rows.push(await drive('introspection', { url: `${base}/openid/introspect`, method: 'POST', headers: { ...form, authorization: basic }, body: `token=${token.access_token}` }));
    rows.push(await drive('discovery', { url: `${base}/openid/.well-known/openid-configuration` }));
    rows.push(await drive('jwks', { url: `${base}/openid/jwks` }));
    rows.push(await drive('GeoServer authkey introspection', { url: `${base}/openid/authkey/introspect/?authkey=${authkey}` }));
    const direct = await drive('direct upstream', { url: upstream.url });
    const proxied = await drive('proxied (Basic)', { url: `${base}/service/bench`, headers: { authorization: `Basic ${Buffer.from('bench@example.com:bench-password').toString('base64')}` } });
    // The same proxy path without Basic's Argon2 verification, which dominates the row above.
    const byKey = await drive('proxied (authkey)', { url: `${base}/service/bench?authkey=${authkey}` });
    rows.push(direct, proxied, byKey);
    for (const row of rows) row.ratio = Number((row.rps / rows[0].rps).toFixed(3));
    // eslint-disable-next-line no-console -- the table is the bench's output
    console.table(rows);
    process.stdout.write(`proxied/direct: ${(byKey.rps / direct.rps).toFixed(3)} with an authkey, ${(proxied.rps / direct.rps).toFixed(3)} with Basic (an Argon2id check per request)\n`);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    writeFileSync(join('bench', 'results', `${stamp}-${usePg ? 'postgres' : 'pglite'}.json`), `${JSON.stringify({ storage: usePg ? 'postgres' : 'pglite', client: cc.client_id, rows, proxiedToDirect: Number((proxied.rps / direct.rps).toFixed(3)) }, null, 2)}\n`);
  } finally {
    // The upstream outlives the server, or requests still queued there would log upstream errors.
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    upstream.server.close();
  }
}

await main();
