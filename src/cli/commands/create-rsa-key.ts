import { audited, cliActor } from '../../access/index.ts';
import { loadConfig } from '../../config.ts';
import { openRuntime } from '../../runtime.ts';
import { closeConfirmed } from '../with-runtime.ts';
import { activationTime, announceSigningKeys, createRsaSigningKey, ensureSigningKey } from '../../signing-keys/index.ts';
import { defineCommand } from '../command.ts';

/**
 * `creatersakey` adds a key that every running node publishes at once and that signs after
 * DJAM_SIGNING_KEY_ACTIVATION_DELAY_SECONDS (#20); `--activate-now` for emergencies; `--if-missing`
 * only when none exists (that first key signs at once: nothing was signed before it).
 */
export const createRsaKeyCommand = defineCommand({
  name: 'creatersakey', summary: 'create a new RSA signing key: published by every node now, signing after the activation delay', usage: '[--activate-now] [--if-missing]',
  flags: {
    'activate-now': { type: 'boolean', doc: 'sign with it at once (an emergency: relying parties that cached the JWKS must refetch it)' },
    'if-missing': { type: 'boolean', doc: 'create one only when no signing key exists yet' },
  },
  env: { DJAM_SIGNING_KEY_ACTIVATION_DELAY_SECONDS: 'how long the new key is only published before it signs (default 3600)' },
  run: createRsaKey,
});

async function createRsaKey(values: { 'activate-now'?: boolean; 'if-missing'?: boolean }): Promise<number> {
  const config = loadConfig();
  const { database, keys } = await openRuntime(config);
  try {
    const deps = { db: database.db, keys };
    const activatesAt = activationTime(config, values['activate-now'] === true);
    // Audited like the admin API's rotation (signing_key.rotated, #21); --if-missing's first key is the install's own.
    const kid = values['if-missing'] ? await ensureSigningKey(deps) : await audited(database.db, cliActor, async (tx) => {
      const created = await createRsaSigningKey({ db: tx, keys }, activatesAt);
      return { action: 'signing-key.create', entityType: 'signing-key', entityId: created, after: { kid: created, activates_at: activatesAt.toISOString() }, result: created };
    });
    if (!kid) {
      process.stdout.write('A signing key exists already; none created.\n');
      return 0;
    }
    await announceSigningKeys(database.db, kid); // every node publishes it; closeConfirmed waits for them
    // The first line is the original's, word for word: scripts read the kid from it.
    process.stdout.write(`RSA key successfully created with kid: ${kid}\n`);
    const now = values['activate-now'] || values['if-missing'];
    process.stdout.write(now
      ? 'It is published and signs from now on.\n'
      : `It is published now and signs from ${activatesAt.toISOString()} (DJAM_SIGNING_KEY_ACTIVATION_DELAY_SECONDS=${config.DJAM_SIGNING_KEY_ACTIVATION_DELAY_SECONDS}); the current key signs until then.\n`);
  } finally {
    await closeConfirmed(database); // the running nodes have applied the changes when the command returns
  }
  return 0;
}
