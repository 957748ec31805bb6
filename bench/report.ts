// The bench's results: each row judged against its budget, printed as a table and written to
// bench/results/ as JSON and markdown (one file pair per run, plus latest-<storage>.md).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Budget } from './scenarios.ts';
import type { StatementCount } from './statements.ts';
import { nodesMarkdown, nodesMisses, type NodesComparison } from './nodes.ts';
import { workersMarkdown, workersMisses, type WorkersComparison } from './workers.ts';

export interface Row {
  scenario: string;
  rps?: number;
  p50?: number;
  p99?: number;
  non2xx?: number;
  /** Answers other than the scenario's expected status, plus connection errors. */
  unexpected?: number;
  /** CPU seconds the server used per second of the run. */
  cpuCores?: number;
  /** The server's resident memory after the scenario. */
  rssMb?: number;
  ratio?: number;
  statements?: number;
  sqlBudget?: number;
  budget?: Budget;
  /** The measure the budget applies to: a ratio or requests per second per core. */
  measured?: number;
  result?: 'pass' | 'miss' | 'skipped';
  note?: string;
}

export interface Report {
  storage: 'postgres' | 'pglite';
  date: string;
  /** loadAverage: the 1-minute load average of the machine before and after the run (other work skews the rates). */
  machine: { cpus: number; model: string; node: string; loadAverage: number[] };
  options: { connections: number; durationSeconds: number; warmupSeconds: number };
  rows: Row[];
  flows: StatementCount[];
  memory: { idleMb: number; peakMb: number; afterMb: number; budgetIdleMb: number; budgetPeakMb: number };
  /** One server process against two (bench/workers.ts); absent when not run (--only without it). */
  workers?: WorkersComparison;
  /** One node against two on one database (bench/nodes.ts); absent when not run. */
  nodes?: NodesComparison;
  misses: string[];
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits));

/** Ratios, budget verdicts and the statement counts, once every row is measured. */
export function judge(rows: Row[], statements: StatementCount[]): void {
  const baseline = rows[0];
  for (const row of rows) {
    row.statements ??= statements.find((s) => s.name === row.scenario)?.statements;
    if (row.rps === undefined) continue;
    row.ratio = round(row.rps / (baseline.rps ?? NaN));
    const budget = row.budget;
    if (!budget) continue;
    const reference = budget.of ? rows.find((r) => r.scenario === budget.of) : baseline;
    row.measured = budget.unit === 'per core' ? round(row.rps / (row.cpuCores || 1), 1) : round(row.rps / (reference?.rps ?? NaN));
    row.result = row.measured >= budget.min ? 'pass' : 'miss';
  }
}

function budgetText(row: Row): string {
  const parts: string[] = [];
  if (row.budget) parts.push(row.budget.unit === 'per core' ? `≥ ${row.budget.min}/s per core` : `≥ ${row.budget.min} × ${row.budget.of ?? 'baseline'}`);
  if (row.sqlBudget !== undefined) parts.push(`SQL ≤ ${row.sqlBudget}`);
  return parts.join(', ') || '—';
}

function verdicts(row: Row): string {
  const parts: string[] = [];
  if (row.result === 'skipped') return `skipped: ${row.note}`;
  if (row.result) parts.push(`${row.result} (${row.measured})`);
  if (row.sqlBudget !== undefined && row.statements !== undefined) parts.push(row.statements <= row.sqlBudget ? 'SQL pass' : 'SQL miss');
  if (row.note) parts.push(row.note);
  return parts.join(', ') || '—';
}

export function collectMisses(report: Omit<Report, 'misses'>): string[] {
  const misses: string[] = [];
  for (const row of report.rows) {
    if (row.result === 'miss') misses.push(`${row.scenario}: ${row.measured} < ${row.budget!.min} (${budgetText(row)})`);
    if (row.sqlBudget !== undefined && row.statements !== undefined && row.statements > row.sqlBudget) misses.push(`${row.scenario}: ${row.statements} SQL statements > ${row.sqlBudget}`);
    if (row.unexpected) misses.push(`${row.scenario}: ${row.unexpected} answers other than the expected status`);
  }
  for (const flow of report.flows) if (flow.budget !== undefined && flow.statements > flow.budget) misses.push(`${flow.name}: ${flow.statements} SQL statements > ${flow.budget}`);
  misses.push(...workersMisses(report.workers), ...nodesMisses(report.nodes));
  const m = report.memory;
  if (m.idleMb >= m.budgetIdleMb) misses.push(`RSS at idle ${m.idleMb} MB ≥ ${m.budgetIdleMb} MB`);
  if (m.peakMb >= m.budgetPeakMb) misses.push(`RSS peak ${m.peakMb} MB ≥ ${m.budgetPeakMb} MB`);
  return misses;
}

const cell = (v: number | string | undefined) => (v === undefined ? '—' : typeof v === 'number' ? v.toLocaleString('en-US') : v);

export function toMarkdown(r: Report): string {
  const lines = [
    `# npm run bench: ${r.storage}, ${r.date}`, '',
    `${r.machine.cpus} × ${r.machine.model} (load average ${r.machine.loadAverage.map((l) => l.toFixed(1)).join(' → ')}), Node ${r.machine.node}; autocannon ${r.options.connections} connections, ${r.options.durationSeconds} s per scenario after ${r.options.warmupSeconds} s of warm-up; ratio = req/s ÷ baseline req/s of the same run.`, '',
    '| scenario | req/s | p50 ms | p99 ms | non-2xx | unexpected | server CPU (cores) | RSS after (MB) | ratio | SQL/op | budget | result |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
    ...r.rows.map((row) => `| ${[row.scenario, cell(row.rps), cell(row.p50), cell(row.p99), cell(row.non2xx), cell(row.unexpected), cell(row.cpuCores), cell(row.rssMb),
      cell(row.ratio), cell(row.statements), budgetText(row), verdicts(row)].join(' | ')} |`),
    '', '| whole flow | SQL statements | budget | statements per request |', '|---|---:|---:|---|',
    ...r.flows.map((f) => `| ${f.name} | ${f.statements} | ${f.budget === undefined ? '—' : `≤ ${f.budget}`} | ${f.steps?.map((s) => `${s.request}: ${s.statements}`).join('; ') ?? ''} |`),
    '', '| server memory (RSS) | MB | budget |', '|---|---:|---:|',
    `| idle, after start | ${r.memory.idleMb} | < ${r.memory.budgetIdleMb} |`,
    `| peak during the suite | ${r.memory.peakMb} | < ${r.memory.budgetPeakMb} |`,
    `| after the suite | ${r.memory.afterMb} | — |`,
    ...workersMarkdown(r.workers),
    ...nodesMarkdown(r.nodes),
    '', r.misses.length ? `Budgets missed:\n${r.misses.map((m) => `- ${m}`).join('\n')}` : 'Every budget holds.', '',
  ];
  return lines.join('\n');
}

export function machine(loadAverage: number[]): Report['machine'] {
  return { cpus: cpus().length, model: cpus()[0]?.model.trim() ?? 'unknown', node: process.versions.node, loadAverage };
}

/** bench/results/<date>-<storage>.json and .md, and latest-<storage>.md for the README. */
export function writeReport(r: Report, dir = join('bench', 'results')): string {
  mkdirSync(dir, { recursive: true });
  const stem = join(dir, `${r.date.replace(/[:.]/g, '-')}-${r.storage}`);
  writeFileSync(`${stem}.json`, `${JSON.stringify(r, null, 2)}\n`);
  const md = toMarkdown(r);
  writeFileSync(`${stem}.md`, md);
  writeFileSync(join(dir, `latest-${r.storage}.md`), md);
  return stem;
}
