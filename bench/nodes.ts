// "Two nodes against one" (issue #20): after the suite, the same scenarios against one node, then
// against two nodes (separate server processes on their own ports, one DJAM_WORKERS each) on the
// same PostgreSQL database, as behind a load balancer: autocannon splits its connections between
// the two. PostgreSQL only. The nodes, PostgreSQL and autocannon share this machine, so the factor
// is what its cores allow (on 2 cores, two nodes compete with the load generator and the database
// for CPU), not what two machines would give.
import autocannon from 'autocannon';
import { freePort } from '../test/helpers/start-server.ts';
import { cpuSeconds } from './proc-stats.ts';
import type { Scenario } from './scenarios.ts';
import { startServer, stopServer, waitReady, type Env } from './server.ts';

/** Token issuing, a token look-up and a password check: the work a deployment adds nodes for. */
const NODES_SCENARIOS = ['client_credentials (opaque)', 'introspection', 'login POST (Argon2id)'];
/** What `--only` matches to run the comparison alone. */
export const NODES_NAME = 'two nodes';

interface NodesRun {
  scenario: string;
  /** req/s with one node, then with two (the sum over both). */
  oneRps: number;
  twoRps: number;
  /** two ÷ one. */
  factor: number;
  /** CPU seconds per second of the run: the one node, then both nodes together. */
  oneCpu: number;
  twoCpu: number;
  unexpected: number;
  /** The unexpected answers by status code. */
  statuses: Record<string, number>;
}

export interface NodesComparison {
  runs: NodesRun[];
  result: 'pass' | 'miss' | 'skipped';
  note?: string;
}

export interface NodesInput {
  storage: 'postgres' | 'pglite';
  scenarios: Scenario[];
  env: Env;
  base: string;
  options: { connections: number; durationSeconds: number; warmupSeconds: number };
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

/** The scenario's request sent to `base` instead of the suite's server (same path, headers, body). */
function at(s: Scenario, from: string, base: string): autocannon.Options {
  return { url: s.url.replace(from, base), method: s.method ?? 'GET', headers: s.headers, body: s.body };
}

interface Load { rps: number; unexpected: number; statuses: Record<string, number> }

/** Drives every base at once with an equal share of the connections; req/s summed. */
async function hammer(s: Scenario, from: string, bases: string[], connections: number, seconds: number): Promise<Load> {
  const results = await Promise.all(bases.map((b) => autocannon({ ...at(s, from, b), connections: Math.ceil(connections / bases.length), duration: seconds })));
  let rps = 0;
  let unexpected = 0;
  const statuses: Record<string, number> = {};
  for (const r of results) {
    rps += r.requests.total / r.duration;
    const codes = r.statusCodeStats as Record<string, { count: number }>;
    unexpected += r.requests.total - Number(codes[s.expect]?.count ?? 0) + r.errors;
    for (const [code, { count }] of Object.entries(codes)) if (code !== String(s.expect)) statuses[code] = (statuses[code] ?? 0) + count;
  }
  return { rps: Math.round(rps), unexpected, statuses };
}

async function measure(s: Scenario, input: NodesInput, bases: string[], pids: number[]): Promise<Load & { cpu: number }> {
  const { connections, durationSeconds, warmupSeconds } = input.options;
  await hammer(s, input.base, bases, connections, warmupSeconds);
  const before = pids.map(cpuSeconds);
  const started = Date.now();
  const load = await hammer(s, input.base, bases, connections, durationSeconds);
  const seconds = (Date.now() - started) / 1000;
  const cpu = pids.reduce((sum, pid, i) => sum + cpuSeconds(pid) - before[i], 0) / seconds;
  return { ...load, cpu: round(cpu, 2) };
}

/** Runs the scenarios on one node, then on two; call it once the suite's server has stopped (same port). */
export async function compareNodes(input: NodesInput): Promise<NodesComparison> {
  if (input.storage !== 'postgres') return { runs: [], result: 'skipped', note: 'PostgreSQL only (--pg): the embedded database belongs to one process' };
  const scenarios = NODES_SCENARIOS.map((name) => input.scenarios.find((s) => s.name === name)).filter((s): s is Scenario => Boolean(s && !s.skip && !s.feed));
  process.stderr.write(`bench: ${NODES_NAME} (${scenarios.map((s) => s.name).join(', ')})\n`);
  const portB = await freePort();
  const baseB = `http://127.0.0.1:${portB}`;
  // Both nodes serve the public URL of the first, as behind a load balancer.
  const nodeEnv = { ...input.env, DJAM_WORKERS: '1' };
  const a = startServer(nodeEnv);
  const one: Array<Load & { cpu: number }> = [];
  const two: Array<Load & { cpu: number }> = [];
  try {
    await waitReady(input.base, a);
    for (const s of scenarios) one.push(await measure(s, input, [input.base], [a.pid!]));
    const b = startServer({ ...nodeEnv, DJAM_PORT: String(portB) });
    try {
      await waitReady(baseB, b);
      for (const s of scenarios) two.push(await measure(s, input, [input.base, baseB], [a.pid!, b.pid!]));
    } finally {
      await stopServer(b);
    }
  } finally {
    await stopServer(a);
  }
  const runs = scenarios.map((s, i) => ({
    scenario: s.name, oneRps: one[i].rps, twoRps: two[i].rps, factor: round(two[i].rps / one[i].rps, 2),
    oneCpu: one[i].cpu, twoCpu: two[i].cpu, unexpected: one[i].unexpected + two[i].unexpected,
    statuses: Object.fromEntries([...Object.entries(one[i].statuses), ...Object.entries(two[i].statuses)].map(([c]) => [c, (one[i].statuses[c] ?? 0) + (two[i].statuses[c] ?? 0)])),
  }));
  const clean = runs.every((r) => r.unexpected === 0);
  return { runs, result: clean && runs.every((r) => r.factor > 1) ? 'pass' : 'miss' };
}

export function nodesMarkdown(n: NodesComparison | undefined): string[] {
  if (!n) return [];
  if (n.result === 'skipped') return ['', `Two nodes against one: skipped: ${n.note}`];
  return [
    '', '| two nodes against one (one database) | one node req/s | two nodes req/s | factor | server CPU one → two (cores) | unexpected |',
    '|---|---:|---:|---:|---:|---:|',
    ...n.runs.map((r) => `| ${r.scenario} | ${r.oneRps.toLocaleString('en-US')} | ${r.twoRps.toLocaleString('en-US')} | ${r.factor} × | ${r.oneCpu} → ${r.twoCpu} | ${r.unexpected}${r.unexpected ? ` (${Object.entries(r.statuses).map(([c, n]) => `${c}: ${n}`).join(', ')})` : ''} |`),
  ];
}

export function nodesMisses(n: NodesComparison | undefined): string[] {
  if (n?.result !== 'miss') return [];
  return n.runs.filter((r) => r.unexpected || r.factor <= 1)
    .map((r) => (r.unexpected ? `${NODES_NAME}, ${r.scenario}: ${r.unexpected} answers other than the expected status` : `${NODES_NAME}, ${r.scenario}: ${r.factor} × the req/s of one node (not more)`));
}
