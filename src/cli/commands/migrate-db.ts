import { loadConfig } from '../../config.ts';
import { openRuntime } from '../../runtime.ts';

export async function migrateDb(): Promise<number> {
  const runtime = await openRuntime(loadConfig());
  process.stdout.write(`Migrations applied (${runtime.database.location}).\n`);
  await runtime.database.close();
  return 0;
}
