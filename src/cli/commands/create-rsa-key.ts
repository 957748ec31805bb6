import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.ts';
import { openRuntime } from '../../runtime.ts';
import { createRsaSigningKey, ensureSigningKey } from '../../signing-keys/index.ts';

/** `creatersakey` adds a key that signs from the next start; `--if-missing` only when none exists. */
export async function createRsaKey(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'if-missing': { type: 'boolean' } } });
  const { database, keys } = await openRuntime(loadConfig());
  try {
    const deps = { db: database.db, keys };
    const kid = values['if-missing'] ? await ensureSigningKey(deps) : await createRsaSigningKey(deps);
    process.stdout.write(kid ? `RSA key successfully created with kid: ${kid}\n` : 'A signing key exists already; none created.\n');
  } finally {
    await database.close();
  }
  return 0;
}
