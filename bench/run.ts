// `npm run bench [-- --pg] [--duration 10] [--warmup 2] [--connections 50] [--only a,b] [--cpu-prof]`:
// starts a server (embedded PGlite by default; PostgreSQL with --pg or when DJAM_DB_HOST is
// set, in a database of its own), seeds what the scenarios need and counts the SQL statements
// of each operation (prepare.ts), then drives each scenario with autocannon and reports req/s,
// latency, server CPU and the ratio to a plain JSON route of the same run, so machine noise
// cancels out; plus the server's memory, and on PostgreSQL one server process against two
// (workers.ts) and one node against two on the same database (nodes.ts). A full run writes bench/results/. --only runs the scenarios whose names contain
// one of the words (and the baseline; `--only workers` or `--only nodes` for a comparison); --cpu-prof profiles
// the server and prints its top self-time functions (neither writes results).
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { nowUs, summariseProfiles, type Window } from './cpu-profile.ts';
import { cpuSeconds, rssMb, watchRss } from './proc-stats.ts';
import { collectMisses, judge, machine, toMarkdown, writeReport, type Report, type Row } from './report.ts';
import { buildScenarios, ROUND_CONCURRENCY, type Scenario } from './scenarios.ts';
import { startBenchDirectory } from './directory.ts';
import { BENCH_RESOURCE_SERVERS, type Seed } from './seed.ts';
import { freePort } from '../test/helpers/start-server.ts';
import { prepareStorage, startServer, stopServer, waitReady, type Env } from './server.ts';
import type { StatementCounts } from './statements.ts';
import { compareNodes, NODES_NAME } from './nodes.ts';
import { compareWorkers, WORKERS_NAME } from './workers.ts';

const { values } = parseArgs({ options: {
  pg: { type: 'boolean' }, duration: { type: 'string', default: '10' }, warmup: { type: 'string', default: '2' },
  connections: { type: 'string', default: '50' }, only: { type: 'string' }, 'cpu-prof': { type: 'boolean' },
} });
const options = { connections: Number(values.connections), durationSeconds: Number(values.duration), warmupSeconds: Number(values.warmup) };
// An ephemeral port: a bench started meanwhile (by another checkout) never measures this server.
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const serverEnv: Env = {
  ...process.env as Env, DJAM_PORT: String(port), DJAM_HOST: '127.0.0.1', SITEURL: `${base}/`,
  DJAM_SECRET_KEY: 'bench-secret-key-0123456789abcdef-0123456789', DJAM_LOG_LEVEL: 'warn',
  DJAM_OIDC_RESOURCE_SERVERS: BENCH_RESOURCE_SERVERS,
  // The login rows measure password hashing: 50 connections signing in one user from one IP at
  // once would otherwise meet the shared brute-force limits (counted before the check) and get 429.
  DJAM_LOGIN_RATE_LIMIT: '1000000', DJAM_LOGIN_ACCOUNT_RATE_LIMIT: '1000000', DJAM_LOGIN_DELAY_AFTER: '1000000',
  DJAM_KEY_CHECK_RATE_LIMIT: '1000000',
  // #23: the sign-in round's upstream is this server, over plain http on loopback.
  DJAM_IDP_ALLOW_HTTP: 'true',
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const roundMb = (mb: number) => Math.round(mb);

/**
 * The upstream of the proxy scenarios (bench/upstream.ts): a JSON hello in a process of its own,
 * so it does not share this process's event loop with autocannon. `server.close()` stops it.
 */
async function startUpstream(): Promise<{ server: { close(): void }; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/upstream.ts'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`the bench upstream exited with ${code} before it listened`)));
  });
  return { server: { close: () => child.kill() }, url: `http://127.0.0.1:${port}/hello` };
}

/** Asynchronous: the proxied scenarios reach the upstream served by this process meanwhile. */
async function prepare(env: Env, upstreamUrl: string): Promise<{ seed: Seed; statements: StatementCounts }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/prepare.ts', upstreamUrl], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`seeding and counting statements failed:\n${stderr}`);
  return JSON.parse(stdout) as { seed: Seed; statements: StatementCounts };
}

function load(s: Scenario, seconds: number, amount?: number): Promise<autocannon.Result> {
  const feed = s.feed;
  const requests: autocannon.Request[] | undefined = feed && [{
    setupRequest: (req) => ({ ...req, body: feed.nextBody(), ...(feed.nextHeaders ? { headers: { ...req.headers, ...feed.nextHeaders() } } : {}) }),
    onResponse: (status, body) => feed.onResponse?.(status, body),
  }];
  const connections = Math.min(options.connections, amount ?? Infinity);
  return autocannon({ url: s.url, method: s.method ?? 'GET', headers: s.headers, body: s.body, connections, duration: seconds, amount, requests });
}

/** Codes for a consumed feed, sized from the client_credentials rate of this run (the run is as long as its pool). */
function poolSize(rows: Row[], seconds: number): number {
  const rate = rows.find((r) => r.scenario === 'client_credentials (opaque)')?.rps ?? 1000;
  return Math.max(200, Math.min(30_000, Math.round(rate * seconds)));
}

/** The measured runs, for --cpu-prof to summarise each scenario's own samples. */
const windows: Window[] = [];

/** Runs `s.round` with ROUND_CONCURRENCY rounds in flight for `seconds`: each round's milliseconds, and the failures. */
async function rounds(s: Scenario, seconds: number): Promise<{ ms: number[]; failed: number; seconds: number }> {
  const ms: number[] = [];
  let failed = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(Array.from({ length: Math.min(options.connections, ROUND_CONCURRENCY) }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await s.round!();
        ms.push(performance.now() - t0);
      } catch (err) {
        if (!failed) process.stderr.write(`bench: ${s.name}: ${String(err)}\n`);
        failed++;
      }
    }
  }));
  return { ms, failed, seconds: (performance.now() - start) / 1000 };
}

/** A multi-request scenario (#23): rounds per second, and the median, p95 and p99 of a round. */
async function driveRounds(s: Scenario, pid: number): Promise<Row> {
  await rounds(s, options.warmupSeconds);
  const cpuBefore = cpuSeconds(pid);
  const startUs = nowUs();
  const r = await rounds(s, options.durationSeconds);
  windows.push({ name: s.name, startUs, endUs: nowUs() });
  const sorted = r.ms.sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
  return {
    scenario: s.name, rps: Math.round(sorted.length / r.seconds), p50: at(0.5), p99: at(0.99), unexpected: r.failed,
    cpuCores: Number(((cpuSeconds(pid) - cpuBefore) / r.seconds).toFixed(2)), rssMb: roundMb(rssMb(pid)),
    note: `${ROUND_CONCURRENCY} rounds at once, ${sorted.length} rounds, p95 ${at(0.95)} ms`,
  };
}

async function drive(s: Scenario, pid: number, rows: Row[]): Promise<Row> {
  if (s.round) return driveRounds(s, pid);
  const feed = s.feed;
  const topUp = async () => { if (feed?.kind === 'rotating') await feed.fill(Math.max(0, options.connections + 10 - feed.available())); };
  const warm = poolSize(rows, options.warmupSeconds);
  if (feed?.kind === 'consumed') await feed.fill(warm + poolSize(rows, options.durationSeconds));
  await topUp();
  await load(s, options.warmupSeconds, feed?.kind === 'consumed' ? warm : undefined);
  await topUp();
  const cpuBefore = cpuSeconds(pid);
  const startUs = nowUs();
  const r = await load(s, options.durationSeconds, feed?.kind === 'consumed' ? feed.available() : undefined);
  windows.push({ name: s.name, startUs, endUs: nowUs() });
  const cpuCores = s.external ? undefined : Number(((cpuSeconds(pid) - cpuBefore) / r.duration).toFixed(2));
  const expected = Number((r.statusCodeStats as Record<string, { count: number }>)[s.expect]?.count ?? 0);
  return {
    scenario: s.name, rps: Math.round(r.requests.total / r.duration), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx,
    unexpected: r.requests.total - expected + r.errors, cpuCores, rssMb: roundMb(rssMb(pid)), budget: s.budget, sqlBudget: s.sqlBudget,
  };
}

const onlyWords = () => values.only?.split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);

function selected(all: Scenario[]): Scenario[] {
  const words = onlyWords();
  if (!words?.length) return all;
  const wanted = all.filter((s, i) => i === 0 || words.some((w) => s.name.toLowerCase().includes(w)));
  // A ratio to another row needs that row.
  const references = all.filter((s) => wanted.some((w) => w.budget?.of === s.name) && !wanted.includes(s));
  return all.filter((s) => wanted.includes(s) || references.includes(s));
}

async function runSuite(pid: number, seed: Seed, statements: StatementCounts, upstreamUrl: string) {
  await sleep(1000);
  const idleMb = roundMb(rssMb(pid));
  const all = await buildScenarios(base, seed, upstreamUrl);
  const scenarios = selected(all);
  const rss = watchRss(pid);
  const rows: Row[] = [];
  for (const s of [...scenarios, { ...scenarios[0], name: 'baseline again, at the end (drift)' }]) {
    process.stderr.write(`bench: ${s.name}\n`);
    rows.push(s.skip ? { scenario: s.name, result: 'skipped', note: s.skip } : await drive(s, pid, rows));
  }
  rss.stop();
  await sleep(1000);
  judge(rows, statements.scenarios);
  return { rows, all, memory: { idleMb, peakMb: roundMb(rss.peakMb()), afterMb: roundMb(rssMb(pid)), budgetIdleMb: 150, budgetPeakMb: 300 } };
}

/** The suite against one server, stopped before the upstream closes (or requests still queued there would log upstream errors). */
async function suiteOnServer(env: Env, profileDir: string | undefined, seed: Seed, statements: StatementCounts, upstreamUrl: string) {
  const server = startServer(env, profileDir);
  try {
    await waitReady(base, server);
    return await runSuite(server.pid!, seed, statements, upstreamUrl);
  } finally {
    await stopServer(server);
  }
}

/** One worker against two (bench/workers.ts), one node against two (bench/nodes.ts): in a full run, or when --only names it; not while profiling one server. */
function wants(name: string, profileDir: string | undefined): boolean {
  const words = onlyWords();
  return !profileDir && (!words?.length || words.some((w) => name.includes(w)));
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0];
  // #23: the LDAP row's directory (slapd), or the reason the row is skipped.
  const directory = await startBenchDirectory();
  if ('skip' in directory) process.env.DJAM_BENCH_LDAP_SKIP = directory.skip;
  const storage = await prepareStorage({ ...serverEnv, ...('env' in directory ? directory.env : {}) }, Boolean(values.pg || process.env.DJAM_DB_HOST));
  const upstream = await startUpstream();
  const profileDir = values['cpu-prof'] ? mkdtempSync(join(tmpdir(), 'djam-cpu-prof-')) : undefined;
  try {
    const { seed, statements } = await prepare(storage.env, upstream.url);
    const { rows, all, memory } = await suiteOnServer(storage.env, profileDir, seed, statements, upstream.url);
    // Its servers take the same port, so it runs once the suite's server has stopped.
    const workers = wants(WORKERS_NAME, profileDir) ? await compareWorkers({ storage: storage.kind, scenarios: all, env: storage.env, base, options }) : undefined;
    const nodes = wants(NODES_NAME, profileDir) ? await compareNodes({ storage: storage.kind, scenarios: all, env: storage.env, base, options }) : undefined;
    const report = { storage: storage.kind, date: new Date().toISOString(), machine: machine([loadBefore, loadavg()[0]]), options, rows, flows: statements.flows, memory, workers, nodes };
    const full: Report = { ...report, misses: collectMisses(report) };
    process.stdout.write(toMarkdown(full));
    if (!values.only && !profileDir) process.stdout.write(`\nwritten: ${writeReport(full)}.{json,md}\n`);
    if (profileDir) process.stdout.write(`\nCPU profile of the server (${profileDir}):\n${summariseProfiles(profileDir, windows)}\n`);
  } finally {
    upstream.server.close();
    await storage.dispose();
    if ('stop' in directory) await directory.stop();
  }
}

await main();
