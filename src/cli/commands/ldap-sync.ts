// `djam ldap-sync [--dry-run]` (#23): updates the directory's users from their entries (names,
// e-mail, groups → teams) and deactivates those gone from the directory. A progress bar on a
// terminal (stderr), one line per change and a summary (stdout); --dry-run changes nothing.
import { loadConfig } from '../../config.ts';
import { openRuntime } from '../../runtime.ts';
import { closeConfirmed } from '../with-runtime.ts';
import { syncDirectoryUsers } from '../../federation/index.ts';
import { defineCommand } from '../command.ts';

function progressBar(): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total) => {
    const width = 30;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`);
  };
}

export const ldapSyncCommand = defineCommand({
  name: 'ldap-sync', summary: 'update directory (LDAP) users from the directory and deactivate those gone from it', usage: '[--dry-run]',
  flags: { 'dry-run': { type: 'boolean', doc: 'only print what would change' } },
  run: async (values: { 'dry-run'?: boolean }) => {
    const config = loadConfig();
    const { database, keys } = await openRuntime(config);
    try {
      const dryRun = values['dry-run'] ?? false;
      const report = await syncDirectoryUsers({ config, db: database.db, keys }, { dryRun, onProgress: progressBar() });
      for (const line of report.lines) process.stdout.write(`${line}\n`);
      process.stdout.write(`${dryRun ? 'Dry run: ' : ''}checked ${report.checked} directory users: ${report.updated} ${dryRun ? 'to update' : 'updated'}, ${report.deactivated} ${dryRun ? 'to deactivate' : 'deactivated'}, ${report.unchanged} unchanged.\n`);
      return 0;
    } finally {
      await closeConfirmed(database);
    }
  },
});
