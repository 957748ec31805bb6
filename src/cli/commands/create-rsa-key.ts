import { loadConfig } from '../../config.ts';
import { openRuntime } from '../../runtime.ts';
import { createRsaSigningKey } from '../../signing-keys/index.ts';

export async function createRsaKey(): Promise<number> {
  const { database, keys } = await openRuntime(loadConfig());
  const kid = await createRsaSigningKey({ db: database.db, keys });
  process.stdout.write(`RSA key successfully created with kid: ${kid}\n`);
  await database.close();
  return 0;
}
