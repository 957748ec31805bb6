// Expired provider rows, browser sessions and throttle counters are never read again; one process (the only one, or
// the primary of several workers) removes them every 10 minutes.
import type { Db } from './db/client.ts';
import type { SecretKeys } from './crypto/keys.ts';
import { deleteExpiredPayloads } from './oidc/index.ts';
import { deleteDeadThrottleCounters, deleteExpiredSessions } from './users/index.ts';

const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/** Starts the periodic sweep; the returned function stops it. */
export function startSweep(deps: { db: Db; keys: SecretKeys }, log: { warn(obj: object, msg: string): void }): () => void {
  const sweepOnce = () => Promise.all([deleteExpiredPayloads(deps.db), deleteExpiredSessions(deps), deleteDeadThrottleCounters(deps.db)]);
  const timer = setInterval(() => void sweepOnce().catch((err: unknown) => log.warn({ err }, 'sweep.failed')), SWEEP_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
