// The test reporter of `npm test` and CI: a dot per test while the suite runs, then what a person
// needs at a glance: the coverage table (when asked for), each failing test with its error, and
// one closing line of counts. Node's own `spec` prints ~1,000 lines for this suite and `dot`
// ends without counts; both give the failures, so only the layout is ours.
import { relative, resolve } from 'node:path';
import type { TestEvent } from 'node:test/reporters';
import { inspect } from 'node:util';

type Fail = Extract<TestEvent, { type: 'test:fail' }>['data'];
type Coverage = Extract<TestEvent, { type: 'test:coverage' }>['data']['summary'];
type Counts = Extract<TestEvent, { type: 'test:summary' }>['data'];

const DOTS_PER_LINE = 80;
/** Lines of a test file's stderr kept to explain a file that failed outside any test. */
const STDERR_LINES = 40;
/** Stack frames of an error kept: the test's own frames come first, the runner's are noise. */
const STACK_FRAMES = 6;
/** Files named in the closing "slowest" line: where CI's 30 minutes go. */
const SLOWEST_FILES = 8;

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
const red = paint(31);
const green = paint(32);
const yellow = paint(33);
const dim = paint(2);

interface Failure { where: string; title: string; error: Error; file?: string; isFileFailure: boolean }

const shortPath = (file: string | undefined) => (file ? relative(process.cwd(), file) : '(no file)');

function describeFailure(data: Fail, ancestors: string[]): Failure {
  // A whole file fails as a test named after the file: it crashed, or left work running at exit.
  const isFileFailure = data.nesting === 0 && !!data.file && resolve(data.file) === resolve(data.name);
  const title = isFileFailure ? 'the test file itself failed' : [...ancestors, data.name].join(' › ');
  // Under tsx without source maps the runner places every test on line 1: the stack has the line.
  const where = `${shortPath(data.file)}${data.line && data.line > 1 && !isFileFailure ? `:${data.line}` : ''}`;
  return { where, title, error: data.details.error, file: data.file && resolve(data.file), isFileFailure };
}

/** The error the test threw (the runner wraps it): its message and its first own frames, indented. */
function formatError(error: Error): string {
  const thrown = (error as Error & { cause?: unknown }).cause ?? error;
  const kind = (error as Error & { failureType?: string }).failureType;
  const lines = (thrown instanceof Error ? thrown.stack ?? String(thrown) : String(thrown)).split('\n');
  let frames = 0;
  const kept = lines.filter((line) => {
    if (!/^\s+at /.test(line)) return true;
    if (/\(node:|node:internal|node_modules/.test(line)) return false;
    return ++frames <= STACK_FRAMES;
  });
  const code = thrown instanceof Error ? (thrown as Error & { code?: unknown }).code : undefined;
  if (typeof code === 'string' && code !== 'ERR_ASSERTION') kept.push(`code: ${code}`);
  const innerCause = thrown instanceof Error ? thrown.cause : undefined;
  if (innerCause !== undefined) kept.push(`caused by: ${innerCause instanceof Error ? innerCause.message : inspect(innerCause)}`);
  const label = kind && kind !== 'testCodeFailure' ? [dim(`(${kind})`)] : [];
  return [...label, ...kept].map((line) => `    ${line}`).join('\n');
}

function formatCoverage(summary: Coverage): string {
  const pct = (n: number) => n.toFixed(2).padStart(7);
  const rows = summary.files.map((f) => [relative(process.cwd(), f.path), f.coveredLinePercent, f.coveredBranchPercent, f.coveredFunctionPercent] as const);
  const total = summary.totals;
  const width = Math.max(9, ...rows.map(([name]) => name.length));
  const row = (name: string, ...values: number[]) => `${name.padEnd(width)} | ${values.map(pct).join(' | ')} |`;
  // .ci/run reads the last row: "all files | lines % | branches % | functions % |".
  return [
    `${'file'.padEnd(width)} |  line % | branch % | funcs % |`,
    ...rows.map(([name, ...values]) => row(name, ...values)),
    row('all files', total.coveredLinePercent, total.coveredBranchPercent, total.coveredFunctionPercent),
  ].join('\n');
}

function slowestLine(durations: Map<string, number>): string[] {
  if (durations.size === 0) return [];
  const slowest = [...durations].sort((a, b) => b[1] - a[1]).slice(0, SLOWEST_FILES);
  return [dim(`slowest files: ${slowest.map(([file, ms]) => `${shortPath(file)} ${(ms / 1000).toFixed(1)} s`).join(', ')}`)];
}

function closingLines(counts: Counts | undefined, failures: Failure[]): string[] {
  if (!counts) return [red('tests: the run ended without a summary (interrupted?)')];
  const c = counts.counts;
  // The runner counts failures too; @types/node does not declare them.
  const failed = (c as typeof c & { failed?: number }).failed ?? c.tests - c.passed - c.skipped - c.cancelled - c.todo;
  const seconds = (counts.duration_ms / 1000).toFixed(1);
  const extra = [c.cancelled && `${c.cancelled} cancelled`, c.todo && `${c.todo} todo`].filter(Boolean).join(', ');
  const status = counts.success && failures.length === 0 ? green('✔ all passed') : red(`✖ ${failures.length} failing, listed above`);
  // The last line is the plain "N passed, N failed, N skipped" that CI and people both read.
  return [
    `${status} · ${c.tests} tests in ${seconds} s${extra ? ` · ${extra}` : ''}`,
    `tests: ${c.passed} passed, ${failed} failed, ${c.skipped} skipped`,
  ];
}

export default async function* compactReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const names = new Map<string, string[]>(); // per file, the names of the tests now open, by nesting
  const stderr = new Map<string, string[]>();
  const diagnostics = new Map<string, string[]>();
  const failures: Failure[] = [];
  let coverage: Coverage | undefined;
  let runSummary: Counts | undefined;
  const fileDurations = new Map<string, number>();
  let dots = 0;
  const dot = (mark: string) => (++dots % DOTS_PER_LINE === 0 ? `${mark}\n` : mark);

  for await (const event of source) {
    switch (event.type) {
      case 'test:start': {
        const open = names.get(event.data.file ?? '') ?? [];
        open.length = event.data.nesting;
        open.push(event.data.name);
        names.set(event.data.file ?? '', open);
        break;
      }
      case 'test:pass':
        if (event.data.details.type === 'suite') break;
        yield event.data.skip || event.data.todo ? yellow(dot('s')) : dot('.');
        break;
      case 'test:fail': {
        const { data } = event;
        // A suite or a test whose subtests failed: those subtests are listed, not their parent.
        if (data.details.type === 'suite' || (data.details.error as { failureType?: string }).failureType === 'subtestsFailed') break;
        failures.push(describeFailure(data, (names.get(data.file ?? '') ?? []).slice(0, data.nesting)));
        yield red(dot('F'));
        break;
      }
      case 'test:stderr': {
        const lines = stderr.get(resolve(event.data.file)) ?? [];
        lines.push(...event.data.message.split('\n').filter((line) => line.trim() !== ''));
        stderr.set(resolve(event.data.file), lines.slice(-STDERR_LINES));
        break;
      }
      case 'test:diagnostic':
        if (event.data.file) {
          const key = resolve(event.data.file);
          diagnostics.set(key, [...(diagnostics.get(key) ?? []), event.data.message]);
        }
        break;
      case 'test:coverage':
        coverage = event.data.summary;
        break;
      case 'test:summary':
        if (event.data.file === undefined) runSummary = event.data;
        else fileDurations.set(event.data.file, event.data.duration_ms);
        break;
    }
  }

  const out: string[] = [dots % DOTS_PER_LINE === 0 ? '' : '\n'];
  if (coverage) out.push(formatCoverage(coverage), '');
  if (failures.length > 0) {
    out.push(red(`Failures (${failures.length}):`), '');
    failures.forEach((f, i) => {
      out.push(`${red(`${i + 1}) ✖`)} ${f.title}`, dim(`   ${f.where}`), formatError(f.error));
      if (f.isFileFailure && f.file) {
        // Nothing failed inside a test: what the file printed or the runner noticed is the clue.
        for (const line of [...(diagnostics.get(f.file) ?? []), ...(stderr.get(f.file) ?? [])]) out.push(dim(`    | ${line}`));
      }
      out.push('');
    });
  }
  out.push(...slowestLine(fileDurations), ...closingLines(runSummary, failures));
  yield `${out.join('\n')}\n`;
}
