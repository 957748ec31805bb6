// `djam import-djam --from postgres://… [--dry-run]`: moves an original DJAM (Django) database
// into this server (src/import). The summary goes to stdout, progress to stderr on a terminal;
// bad input is one sentence on stderr and exit 1, as is any unresolved conflict.
import { loadConfig, ConfigError } from '../../config.ts';
import { SecretKeyError } from '../../crypto/secret-key.ts';
import { DataDirInUseError } from '../../db/data-dir-lock.ts';
import { openRuntime, type Runtime } from '../../runtime.ts';
import { closeConfirmed } from '../with-runtime.ts';
import { defineCommand } from '../command.ts';
import { formatReport, importDjam, ImportError, readSource, unresolvedCount, type ImportReport } from '../../import/index.ts';

/** The innermost cause: the database's own message, never a query text with its (secret) parameters. */
function rootCause(err: unknown): { message: string; code?: string } {
  let e = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  if (!(e instanceof Error)) return { message: String(e) };
  return { message: e.message || e.name, code: (e as { code?: string }).code };
}

function printProgress(table: string, done: number, total: number): void {
  process.stderr.write(`\r\x1b[K${table}: ${done}/${total}${done === total ? '\n' : ''}`);
}

async function openTarget(dryRun: boolean): Promise<Runtime> {
  try {
    // A dry run writes nothing, not even migrations.
    return await openRuntime(loadConfig(), { migrate: !dryRun });
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DataDirInUseError) throw err;
    // The start-up key check (#20) tells before the import's own check of the stored secrets would.
    if (err instanceof SecretKeyError) throw new ImportError("This server's stored secrets do not open with this DJAM_SECRET_KEY: run the import with the server's DJAM_SECRET_KEY.");
    throw new ImportError(`Cannot open this server's database: ${rootCause(err).message}.`);
  }
}

async function runImport(runtime: Runtime, source: Awaited<ReturnType<typeof readSource>>, dryRun: boolean): Promise<ImportReport> {
  try {
    const progress = process.stderr.isTTY ? printProgress : undefined;
    return await importDjam({ db: runtime.database.db, keys: runtime.keys }, source, { dryRun, progress });
  } catch (err) {
    if (err instanceof ImportError) throw err;
    const cause = rootCause(err);
    if (cause.code === '42P01') throw new ImportError("This server's database has no tables yet: run `djam migrate` first.");
    throw new ImportError(`The import failed and this server's database was left as it was: ${cause.message}.`);
  } finally {
    await closeConfirmed(runtime.database); // the running nodes have applied the changes when the command returns
  }
}

export const importDjamCommand = defineCommand({
  name: 'import-djam', summary: 'import an original DJAM database into this server', usage: '--from postgres://user:password@host:5432/djam [--dry-run]',
  flags: {
    from: { type: 'string', value: 'URL', required: true, doc: 'the original DJAM\'s PostgreSQL database' },
    'dry-run': { type: 'boolean', doc: 'report what would be imported, write nothing' },
  },
  run: importCommand,
});

async function importCommand(values: { from?: string; 'dry-run'?: boolean }): Promise<number> {
  const dryRun = values['dry-run'] ?? false;
  try {
    if (process.stderr.isTTY) process.stderr.write('Reading the original database…\n');
    const source = await readSource(values.from ?? '');
    const report = await runImport(await openTarget(dryRun), source, dryRun);
    process.stdout.write(formatReport(report));
    return unresolvedCount(report) ? 1 : 0;
  } catch (err) {
    if (!(err instanceof ImportError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
}
