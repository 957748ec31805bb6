// "Two workers beat one" (issue #7): after the suite, the same scenario against a server of one
// process (DJAM_WORKERS=1), then against one of two (DJAM_WORKERS=2), on the database the suite
// used. PostgreSQL only: the embedded database belongs to one process, so PGlite refuses two.
// autocannon and PostgreSQL run on the same machine, so on few cores they take CPU the second
// worker would use: the speed-up is what this machine shows, not what a larger one would.
import autocannon from 'autocannon';
import { cpuSeconds, rssMb } from './proc-stats.ts';
import type { Scenario } from './scenarios.ts';
import { startServer, stopServer, waitReady, type Env } from './server.ts';

/** A read that costs the server CPU on every request and leaves no rows behind between the runs. */
const WORKERS_SCENARIO = 'userinfo';
/** What `--only` matches to run the comparison alone. */
export const WORKERS_NAME = 'two workers';

interface WorkersRun {
  workers: number;
  rps: number;
  p99: number;
  /** Answers other than the scenario's expected status, plus connection errors. */
  unexpected: number;
  /** CPU seconds the server's processes used per second of the run. */
  cpuCores: number;
  /** Resident memory of the server's processes (primary and workers) after the run. */
  rssMb: number;
}

export interface WorkersComparison {
  scenario: string;
  runs: WorkersRun[];
  /** req/s with two workers ÷ req/s with one. */
  speedUp?: number;
  result: 'pass' | 'miss' | 'skipped';
  note?: string;
}

export interface WorkersInput {
  storage: 'postgres' | 'pglite';
  scenarios: Scenario[];
  env: Env;
  base: string;
  options: { connections: number; durationSeconds: number; warmupSeconds: number };
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

function hammer(s: Scenario, connections: number, seconds: number): Promise<autocannon.Result> {
  return autocannon({ url: s.url, method: s.method ?? 'GET', headers: s.headers, body: s.body, connections, duration: seconds });
}

async function measure(s: Scenario, input: WorkersInput, workers: number): Promise<WorkersRun> {
  const { connections, durationSeconds, warmupSeconds } = input.options;
  const server = startServer({ ...input.env, DJAM_WORKERS: String(workers) });
  try {
    await waitReady(input.base, server);
    const pid = server.pid!;
    // The warm-up's connections may all land on the worker that listened first; the measured
    // run opens its own, which the primary deals out to the workers in turn.
    await hammer(s, connections, warmupSeconds);
    const cpuBefore = cpuSeconds(pid);
    const r = await hammer(s, connections, durationSeconds);
    const expected = Number((r.statusCodeStats as Record<string, { count: number }>)[s.expect]?.count ?? 0);
    return {
      workers, rps: Math.round(r.requests.total / r.duration), p99: r.latency.p99, unexpected: r.requests.total - expected + r.errors,
      cpuCores: round((cpuSeconds(pid) - cpuBefore) / r.duration, 2), rssMb: Math.round(rssMb(pid)),
    };
  } finally {
    await stopServer(server);
  }
}

function skipped(note: string): WorkersComparison {
  return { scenario: WORKERS_SCENARIO, runs: [], result: 'skipped', note };
}

/** Runs the scenario on one worker, then on two; call it once the suite's server has stopped (same port). */
export async function compareWorkers(input: WorkersInput): Promise<WorkersComparison> {
  if (input.storage !== 'postgres') return skipped('PostgreSQL only (--pg): the embedded database belongs to one process, so DJAM_WORKERS=2 is refused on PGlite');
  const s = input.scenarios.find((c) => c.name === WORKERS_SCENARIO);
  if (!s || s.skip || s.feed) return skipped(`the ${WORKERS_SCENARIO} scenario cannot run: ${s?.skip ?? 'not a repeatable request'}`);
  process.stderr.write(`bench: ${WORKERS_NAME} (${WORKERS_SCENARIO})\n`);
  const one = await measure(s, input, 1);
  const two = await measure(s, input, 2);
  const speedUp = round(two.rps / one.rps, 2);
  const clean = one.unexpected === 0 && two.unexpected === 0;
  return { scenario: s.name, runs: [one, two], speedUp, result: clean && speedUp > 1 ? 'pass' : 'miss' };
}

export function workersMarkdown(w: WorkersComparison | undefined): string[] {
  if (!w) return [];
  if (w.result === 'skipped') return ['', `Two workers against one (${w.scenario}): skipped: ${w.note}`];
  return [
    '', `| two workers against one (${w.scenario}) | req/s | p99 ms | unexpected | server CPU (cores) | RSS (MB) |`, '|---|---:|---:|---:|---:|---:|',
    ...w.runs.map((r) => `| DJAM_WORKERS=${r.workers} | ${r.rps.toLocaleString('en-US')} | ${r.p99} | ${r.unexpected} | ${r.cpuCores} | ${r.rssMb} |`),
    `| speed-up (two ÷ one) | ${w.speedUp} × | | | | ${w.result} |`,
  ];
}

export function workersMisses(w: WorkersComparison | undefined): string[] {
  if (w?.result !== 'miss') return [];
  const unexpected = w.runs.reduce((sum, r) => sum + r.unexpected, 0);
  return [unexpected ? `${WORKERS_NAME}: ${unexpected} answers other than the expected status` : `${WORKERS_NAME}: ${w.speedUp} × the req/s of one worker (not more)`];
}
