// What every entry point (server, CLI, tests) needs before it can work: the config with a
// usable secret key, the derived keys, and an open, migrated database that the key belongs to.
import type { Config } from './config.ts';
import { deriveKeys, type SecretKeys } from './crypto/keys.ts';
import { assertSecretKeyMatches, loadOrCreateSecretKey } from './crypto/secret-key.ts';
import { openDb, type Database } from './db/client.ts';
import { migrate } from './db/migrate.ts';

export interface Runtime { config: Config; keys: SecretKeys; database: Database }

export async function openRuntime(config: Config, opts: { migrate: boolean } = { migrate: true }): Promise<Runtime> {
  const keys = deriveKeys(loadOrCreateSecretKey(config));
  const database = await openDb(config);
  if (opts.migrate) {
    await migrate(database);
    const source = config.DJAM_SECRET_KEY ? 'DJAM_SECRET_KEY' : `generated into ${config.DJAM_DATA_DIR}/secret-key`;
    await assertSecretKeyMatches(database.db, keys, source).catch(async (err: unknown) => { await database.close(); throw err; });
  }
  return { config, keys, database };
}
