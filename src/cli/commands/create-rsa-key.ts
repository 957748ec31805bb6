import { loadConfig } from '../../config.ts';
import { openRuntime } from '../../runtime.ts';
import { createRsaSigningKey, ensureSigningKey } from '../../signing-keys/index.ts';
import { defineCommand } from '../command.ts';

/** `creatersakey` adds a key that signs from the next start; `--if-missing` only when none exists. */
export const createRsaKeyCommand = defineCommand({
  name: 'creatersakey', summary: 'create a new RSA signing key (it signs from the next start; older keys stay published)', usage: '[--if-missing]',
  flags: { 'if-missing': { type: 'boolean', doc: 'create one only when no signing key exists yet' } },
  run: createRsaKey,
});

async function createRsaKey(values: { 'if-missing'?: boolean }): Promise<number> {
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
