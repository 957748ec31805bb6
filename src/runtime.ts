// What every entry point (server, CLI, tests) needs before it can work: the config with a
// usable secret key, the derived keys, and an open, migrated database.
import type { Config } from './config.ts';
import { deriveKeys, type SecretKeys } from './crypto/keys.ts';
import { loadOrCreateSecretKey } from './crypto/secret-key.ts';
import { openDb, type Database } from './db/client.ts';
import { migrate } from './db/migrate.ts';

export interface Runtime { config: Config; keys: SecretKeys; database: Database }

export function resolveSecretKey(config: Config): string {
  return config.DJAM_SECRET_KEY ?? loadOrCreateSecretKey(config.DJAM_DATA_DIR);
}

export async function openRuntime(config: Config, opts: { migrate: boolean } = { migrate: true }): Promise<Runtime> {
  const keys = deriveKeys(resolveSecretKey(config));
  const database = await openDb(config);
  if (opts.migrate) await migrate(database);
  return { config, keys, database };
}
