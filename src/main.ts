// Process entry: config → database (migrated) → signing key → app → listen; signals.
import { loadConfig, ConfigError } from './config.ts';
import { DataDirInUseError } from './db/data-dir-lock.ts';
import { buildApp } from './app.ts';
import { openRuntime } from './runtime.ts';
import { ensureSigningKey, loadSigningJwks } from './signing-keys/index.ts';
import { deleteExpiredPayloads } from './oidc/index.ts';
import { deleteExpiredSessions } from './users/index.ts';

const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

async function main(): Promise<void> {
  const config = loadConfig();
  const { keys, database } = await openRuntime(config);
  const deps = { db: database.db, keys };
  const createdKid = await ensureSigningKey(deps);
  const { app } = await buildApp({ config, db: database.db, listen: database.listen, keys, jwks: await loadSigningJwks(deps) });
  if (createdKid) app.log.info({ kid: createdKid }, 'signing_key.created');
  // Expired provider rows and browser sessions are never read again; removed every 10 minutes.
  const sweepOnce = () => Promise.all([deleteExpiredPayloads(database.db), deleteExpiredSessions(deps)]);
  const sweep = setInterval(() => void sweepOnce().catch((err: unknown) => app.log.warn({ err }, 'sweep.failed')), SWEEP_INTERVAL_MS);
  sweep.unref();
  await app.listen({ host: config.DJAM_HOST, port: config.DJAM_PORT });
  app.log.info(`DJAM listens on ${config.baseUrl} (storage: ${database.location}). Create the first admin with: npx djam createsuperuser${database.kind === 'pglite' ? ' (stop the server first: the embedded database belongs to one process)' : ''}`);

  // SIGTERM: stop accepting, let in-flight requests and the running job finish (app.close waits
  // for both), close the database, exit 0; a deadline guards against a request that never ends.
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'shutdown.started');
    setTimeout(() => { app.log.error('shutdown.deadline_exceeded'); process.exit(1); }, config.DJAM_SHUTDOWN_TIMEOUT_MS).unref();
    clearInterval(sweep);
    await app.close();
    await database.close();
    app.log.info('shutdown.done');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirInUseError) console.error(err.message);
  else console.error('DJAM failed to start:', err);
  process.exit(1);
});
