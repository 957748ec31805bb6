// Process entry: config → database (migrated) → signing key → app → listen; signals. With
// DJAM_WORKERS > 1 the primary (workers.ts) does the first steps once and forks workers that run
// the rest here.
import cluster from 'node:cluster';
import { loadConfig, ConfigError } from './config.ts';
import { SecretKeyError } from './crypto/secret-key.ts';
import { DataDirInUseError } from './db/data-dir-lock.ts';
import { buildApp } from './app.ts';
import { releaseStartupMemory } from './ops/startup-memory.ts';
import { openRuntime } from './runtime.ts';
import { ensureSigningKey } from './signing-keys/index.ts';
import { startupBanner } from './startup-banner.ts';
import { startSweep } from './sweep.ts';
import { runPrimary } from './workers.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  if (cluster.isPrimary && config.DJAM_WORKERS > 1) return runPrimary(config);
  const alone = cluster.isPrimary; // else a worker: the primary migrated, made the key and sweeps
  const { keys, database } = await openRuntime(config, { migrate: alone });
  const deps = { db: database.db, keys };
  const createdKid = alone ? await ensureSigningKey(deps) : undefined;
  const { app } = await buildApp({ config, db: database.db, listen: database.listen, keys });
  if (createdKid) app.log.info({ kid: createdKid }, 'signing_key.created');
  const stopSweep = alone ? startSweep({ ...deps, config }, app.log) : () => undefined;
  await app.listen({ host: config.DJAM_HOST, port: config.DJAM_PORT });
  releaseStartupMemory();
  // With several workers the primary (workers.ts) says it once for all of them.
  if (alone) app.log.info(await startupBanner(config, database, app.addresses()));

  // SIGTERM: stop accepting, let in-flight requests and the running job finish (app.close waits
  // for both), close the database, exit 0; a deadline guards against a request that never ends.
  let stopping = false; // a terminal's Ctrl-C reaches the workers and the primary, which passes SIGTERM on
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutdown.started');
    setTimeout(() => { app.log.error('shutdown.deadline_exceeded'); process.exit(1); }, config.DJAM_SHUTDOWN_TIMEOUT_MS).unref();
    stopSweep();
    await app.close();
    await database.close();
    app.log.info('shutdown.done');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirInUseError || err instanceof SecretKeyError) console.error(err.message);
  else console.error('DJAM failed to start:', err);
  process.exit(1);
});
