// `djam upload-users --data users.json` (docs/compatibility.md §10.1 upload_users): imports a JSON array of
// {pk, email, username, password, first_name, last_name} with Django password hashes. Prints each
// skipped entry and a summary; shows progress on an interactive terminal.
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../config.ts';
import { openRuntime } from '../../runtime.ts';
import { closeConfirmed } from '../with-runtime.ts';
import { defineCommand } from '../command.ts';
import { importLegacyUsers, importSkipReasons, type ImportReport } from '../../users/index.ts';

class InputError extends Error {}

function readEntries(path: string): unknown[] {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`Error: cannot read ${path}${code === 'ENOENT' ? ': no such file' : ` (${code})`}.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch (err) {
    throw new InputError(`Error: ${path} is not valid JSON (${(err as Error).message}).`);
  }
  if (!Array.isArray(data)) throw new InputError(`Error: ${path} must hold a JSON array of users, as a GeoNode export does.`);
  return data;
}

function describe(report: ImportReport): string {
  const skips = report.skipped.map((s) => `Skipped entry ${s.index + 1} (pk ${JSON.stringify(s.pk ?? null)}, ${JSON.stringify(s.email ?? null)}): `
    + `${importSkipReasons[s.reason]}${s.detail ? `: ${s.detail}` : ''}.\n`).join('');
  const counts = new Map<string, number>();
  for (const s of report.skipped) counts.set(importSkipReasons[s.reason], (counts.get(importSkipReasons[s.reason]) ?? 0) + 1);
  const why = [...counts].map(([reason, n]) => `${reason}: ${n}`).join(', ');
  return `${skips}Imported ${report.total} entries: created ${report.created}, skipped ${report.skipped.length}${why ? ` (${why})` : ''}.\n`;
}

/** "1500/2000" redrawn in place, only for a person watching a terminal and a file worth waiting for. */
function progressPrinter(total: number): ((done: number) => void) | undefined {
  if (!process.stderr.isTTY || total < 500) return undefined;
  return (done) => process.stderr.write(`\rImporting users: ${done}/${total}${done === total ? '\n' : ''}`);
}

export const uploadUsersCommand = defineCommand({
  name: 'upload-users', summary: 'import users with Django password hashes from a JSON array', usage: '--data users.json',
  flags: { data: { type: 'string', value: '<users.json>', required: true, doc: 'a JSON array of {pk, email, username, password, first_name, last_name} (a GeoNode export)' } },
  run: uploadUsers,
});

async function uploadUsers(values: { data?: string }): Promise<number> {
  let entries: unknown[];
  try {
    entries = readEntries(values.data ?? '');
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
  const { database } = await openRuntime(loadConfig());
  try {
    const progress = progressPrinter(entries.length);
    const report = await importLegacyUsers({ db: database.db }, entries, progress);
    process.stdout.write(describe(report));
  } finally {
    await closeConfirmed(database); // the running nodes have applied the changes when the command returns
  }
  return 0;
}
