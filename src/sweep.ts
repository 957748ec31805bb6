// Expired provider rows, browser sessions and throttle counters are never read again, nor are
// signing keys no node publishes any more (#20), nor events past DJAM_EVENT_RETENTION_DAYS (#21);
// one process (the only one, or the primary of several workers) removes them every 10 minutes.
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import type { SecretKeys } from './crypto/keys.ts';
import { deleteOldEvents } from './events/index.ts';
import { deleteExpiredPayloads } from './oidc/index.ts';
import { deleteRetiredSigningKeys } from './signing-keys/index.ts';
import { deleteDeadThrottleCounters, deleteExpiredSessions } from './users/index.ts';
import { syncDirectoryUsers } from './federation/index.ts';

const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/** Starts the periodic sweep; the returned function stops it. */
export function startSweep(deps: { db: Db; keys: SecretKeys; config: Config }, log: { warn(obj: object, msg: string): void }): () => void {
  const sweepOnce = () => Promise.all([deleteExpiredPayloads(deps.db), deleteExpiredSessions(deps), deleteRetiredSigningKeys(deps), deleteDeadThrottleCounters(deps.db), deleteOldEvents(deps)]);
  const timer = setInterval(() => void sweepOnce().catch((err: unknown) => log.warn({ err }, 'sweep.failed')), SWEEP_INTERVAL_MS);
  timer.unref();
  // #23: the directory's users kept in step (names, groups, users gone deactivated), when asked for.
  const syncMs = deps.config.DJAM_LDAP_URL ? deps.config.DJAM_LDAP_SYNC_INTERVAL_MINUTES * 60_000 : 0;
  const syncTimer = syncMs > 0 ? setInterval(() => void syncDirectoryUsers(deps, { dryRun: false }).catch((err: unknown) => log.warn({ err }, 'ldap-sync.failed')), syncMs) : undefined;
  syncTimer?.unref();
  return () => {
    clearInterval(timer);
    if (syncTimer) clearInterval(syncTimer);
  };
}
