// DJAM_WORKERS > 1 (node:cluster): this primary process migrates the database and ensures the
// signing key once, then forks the workers. Each worker is a whole server (main.ts) on the shared
// port, with its own database pool, change-feed subscription (so every worker's caches hear every
// change) and job runner (jobs are claimed with SKIP LOCKED); the primary hands it connections in
// turn. The primary runs the periodic sweep, replaces a worker that dies, and on SIGTERM stops the
// workers and exits once they all have.
import cluster, { type Worker } from 'node:cluster';
import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';
import { logOptions } from './logging.ts';
import { releaseStartupMemory } from './ops/startup-memory.ts';
import { openRuntime } from './runtime.ts';
import { ensureSigningKey } from './signing-keys/index.ts';
import { startupBanner, type BoundAddress } from './startup-banner.ts';
import { startSweep } from './sweep.ts';

// A worker that keeps dying is restarted after 1 s, 2 s, 4 s ... at most 30 s: no tight loop
// against a database that is down. One that ran for a minute first starts the count again.
const FIRST_RESTART_DELAY_MS = 1000;
const MAX_RESTART_DELAY_MS = 30_000;
const STABLE_AFTER_MS = 60_000;
// The workers have DJAM_SHUTDOWN_TIMEOUT_MS to finish; the primary waits that and a little more.
const SHUTDOWN_GRACE_MS = 5000;

/** One worker place: its current process, and whether any process in it has listened yet. */
interface Slot { worker?: Worker; startedMs: number; quickDeaths: number; hasListened: boolean; restart?: NodeJS.Timeout }

export async function runPrimary(config: Config): Promise<void> {
  const { stream, ...options } = logOptions(config);
  const log = pino(options, stream);
  const { keys, database } = await openRuntime(config);
  const createdKid = await ensureSigningKey({ db: database.db, keys });
  if (createdKid) log.info({ kid: createdKid }, 'signing_key.created');
  const stopSweep = startSweep({ db: database.db, keys, config }, log);
  // The address a worker reports can be empty for "every interface": the configured host then.
  const onReady = (bound: BoundAddress) => void startupBanner(config, database, [{ ...bound, address: bound.address || config.DJAM_HOST }])
    .then((banner) => log.info(banner), (err: unknown) => log.error({ err }, 'startup_banner.failed'));
  const workers = superviseWorkers(config.DJAM_WORKERS, log, () => void finish(1), onReady);
  log.info({ workers: config.DJAM_WORKERS }, 'workers.starting');

  let finishing = false;
  const finish = async (code: number) => {
    if (finishing) return;
    finishing = true;
    setTimeout(() => { log.error('shutdown.deadline_exceeded'); workers.kill(); process.exit(1); }, config.DJAM_SHUTDOWN_TIMEOUT_MS + SHUTDOWN_GRACE_MS).unref();
    stopSweep();
    const clean = await workers.stop();
    await database.close();
    log.info({ clean }, 'shutdown.done');
    process.exit(clean ? code : 1);
  };
  const onSignal = (signal: string) => { log.info({ signal }, 'shutdown.started'); void finish(0); };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
}

function restartDelayMs(slot: Slot): number {
  slot.quickDeaths = Date.now() - slot.startedMs < STABLE_AFTER_MS ? slot.quickDeaths + 1 : 0;
  return Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** Math.max(0, slot.quickDeaths - 1));
}

/** Forks `count` workers and keeps them running; `giveUp` is called when one fails to start at all. */
function superviseWorkers(count: number, log: Logger, giveUp: () => void, onReady: (bound: BoundAddress) => void) {
  let stopping = false;
  let ready = false;
  const slots: Slot[] = Array.from({ length: count }, () => ({ startedMs: 0, quickDeaths: 0, hasListened: false }));

  const fork = (slot: Slot) => {
    const worker = cluster.fork();
    Object.assign(slot, { worker, startedMs: Date.now(), restart: undefined });
    worker.once('listening', (bound) => {
      slot.hasListened = true;
      if (ready || !slots.every((s) => s.hasListened)) return;
      ready = true;
      log.info({ pids: slots.map((s) => s.worker?.process.pid) }, 'workers.ready');
      onReady(bound);
      releaseStartupMemory(); // the primary's own start-up: migrations, the signing key
    });
    worker.once('exit', (code, signal) => {
      if (stopping) return;
      const pid = worker.process.pid;
      // A first worker that never came up (port taken, database unreachable) will not do better
      // on a retry: the start fails, its error is on stderr already. Later deaths are restarted.
      if (!slot.hasListened) {
        log.fatal({ pid, code, signal }, 'worker.failed_to_start');
        return giveUp();
      }
      const delayMs = restartDelayMs(slot);
      log.error({ pid, code, signal, restartInMs: delayMs }, 'worker.died');
      slot.restart = setTimeout(() => fork(slot), delayMs);
    });
  };
  for (const slot of slots) fork(slot);

  const alive = () => slots.map((s) => s.worker).filter((w): w is Worker => w !== undefined && !w.isDead());
  return {
    /** SIGTERM to every worker; true when all of them exited with 0. */
    async stop(): Promise<boolean> {
      stopping = true;
      for (const slot of slots) clearTimeout(slot.restart);
      const exits = alive().map((w) => new Promise<boolean>((resolve) => {
        w.once('exit', (code) => resolve(code === 0));
        w.process.kill('SIGTERM');
      }));
      return (await Promise.all(exits)).every(Boolean);
    },
    kill: () => { for (const w of alive()) w.process.kill('SIGKILL'); },
  };
}
