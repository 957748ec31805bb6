import { loadConfig } from '../../config.ts';
import { openRuntime } from '../../runtime.ts';
import { defineCommand } from '../command.ts';

export const migrateCommand = defineCommand({
  name: 'migrate', summary: 'apply the database migrations', usage: '', flags: {},
  details: 'Opens the configured database (PostgreSQL with DJAM_DB_HOST, else the embedded one in DJAM_DATA_DIR) and applies the migrations it lacks.',
  async run() {
    const runtime = await openRuntime(loadConfig());
    process.stdout.write(`Migrations applied (${runtime.database.location}).\n`);
    await runtime.database.close();
    return 0;
  },
});
