// One description per command (name, summary, usage, flags, env vars): `djam help` lists them,
// `djam <command> --help` prints one, and the same flags parse the command line, so the help
// cannot drift from what a command accepts.
import { parseArgs, type ParseArgsOptionDescriptor } from 'node:util';

interface Flag extends ParseArgsOptionDescriptor {
  doc: string;
  /** The value's placeholder in the help (`--user EMAIL`). */
  value?: string;
  /** The only values accepted; anything else is a usage error naming them. */
  choices?: readonly string[];
  required?: boolean;
}
type Flags = Record<string, Flag>;
type Values<F extends Flags> = { [K in keyof F]: F[K]['type'] extends 'boolean' ? boolean | undefined
  : F[K]['multiple'] extends true ? string[] | undefined : string | undefined };

export interface Command<F extends Flags = Flags> {
  name: string;
  summary: string;
  /** What follows `djam <name>` in the usage line. */
  usage: string;
  flags: F;
  /** Environment variables the command reads beyond the server's configuration. */
  env?: Record<string, string>;
  /** Free text after the flags and env vars: what the command does in detail. */
  details?: string;
  run(values: Values<F>): Promise<number>;
}

/** The caller's mistake (unknown flag, bad value, missing argument): one line, exit 2. */
export class UsageError extends Error {}

export function defineCommand<const F extends Flags>(command: Command<F>): Command<F> {
  return command;
}

function flagLabel(name: string, flag: Flag): string {
  const short = flag.short ? `-${flag.short}, ` : '';
  return `${short}--${name}${flag.type === 'string' ? ` ${flag.value ?? 'VALUE'}` : ''}`;
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: djam ${command.name}${command.usage ? ` ${command.usage}` : ''}`, '', command.summary];
  if (command.details) lines.push('', command.details);
  const flags = Object.entries(command.flags).map(([name, f]) => [flagLabel(name, f), `${f.doc}${f.required ? ' (required)' : ''}`]);
  flags.push(['-h, --help', 'print this help and exit']);
  const width = Math.max(...flags.map(([label]) => label.length)) + 2;
  lines.push('', 'Options:', ...flags.map(([label, doc]) => `  ${label.padEnd(width)}${doc}`));
  const env = Object.entries(command.env ?? {});
  if (env.length) {
    const envWidth = Math.max(...env.map(([name]) => name.length)) + 2;
    lines.push('', 'Environment:', ...env.map(([name, doc]) => `  ${name.padEnd(envWidth)}${doc}`));
  }
  lines.push('', 'The server\'s settings (DJAM_DATA_DIR, DJAM_DB_*, ...) apply too: see docs/configuration.md.');
  return `${lines.join('\n')}\n`;
}

export function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** parseArgs' own message without its advice, e.g. "Unknown option '--bogus'". */
function parseFailure(err: unknown): never {
  if (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS_')) {
    const sentence = err.message.split('\n')[0].split('. ')[0].replace(/\.$/, '');
    throw new UsageError(sentence.charAt(0).toLowerCase() + sentence.slice(1));
  }
  throw err;
}

export function parseFlags<F extends Flags>(command: Command<F>, args: string[]): Values<F> {
  // parseArgs refuses keys it does not know and keys present but undefined.
  const options = Object.fromEntries(Object.entries(command.flags).map(([name, { type, multiple, short }]) => [name, {
    type, ...(multiple ? { multiple } : {}), ...(short ? { short } : {}),
  }]));
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }));
  } catch (err) {
    parseFailure(err);
  }
  for (const [name, f] of Object.entries(command.flags)) {
    const value = values[name];
    if (f.required && (value === undefined || value === '')) throw new UsageError(`missing --${name}${f.value ? ` ${f.value}` : ''}`);
    const given = Array.isArray(value) ? value : value === undefined ? [] : [value];
    const bad = f.choices && given.find((v) => !f.choices?.includes(String(v)));
    if (bad !== undefined && bad !== false && f.choices) throw new UsageError(`--${name} must be ${f.choices.join(' or ')}, not "${String(bad)}"`);
  }
  return values as Values<F>;
}
