// Readiness for an orchestrator: the database answers, every committed migration is applied,
// and the broker is reachable when one is configured. Results are cached for a second so a
// probe every second costs at most one query.
//
// A node whose change feed is down is *degraded*, not unready: it still answers correctly (its
// caches are bypassed and every read goes to the database), only slower. Answering 503 would buy
// nothing for correctness, and when the notification channel hiccups on every node at once (a
// database failover, a proxy restart) a load balancer would pull all of them: an outage made by
// the probe. So /readyz stays 200 with `status: "degraded"` and the feed named in `checks`, and
// /metrics carries djam_change_feed_up for alerting.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { ChangeFeed } from '../db/change-feed.ts';
import type { Db } from '../db/client.ts';
import { migrationsFolder } from '../db/migrate.ts';

export interface ReadinessReport { ready: boolean; status: 'ready' | 'degraded' | 'unready'; checks: Record<string, 'ok' | string> }
export interface BrokerProbe { (): Promise<boolean> }

const CACHE_MS = 1000;

function committedMigrations(): number {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

const DEGRADED = 'degraded: ';

export function readinessChecker(db: Db, opts: { brokerProbe?: BrokerProbe; changes?: ChangeFeed } = {}): () => Promise<ReadinessReport> {
  const { brokerProbe, changes } = opts;
  const expected = committedMigrations();
  let cached: { at: number; checks: Promise<ReadinessReport['checks']> } | undefined;
  const check = async (): Promise<ReadinessReport['checks']> => {
    const checks: ReadinessReport['checks'] = {};
    try {
      const result = await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      const applied = Number((result as unknown as { rows: Array<{ n: number }> }).rows[0]?.n ?? 0);
      checks.database = 'ok';
      checks.migrations = applied >= expected ? 'ok' : `${expected - applied} migration(s) pending: run djam migrate`;
    } catch (err) {
      checks.database = `unreachable: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (brokerProbe) checks.broker = (await brokerProbe().catch(() => false)) ? 'ok' : 'unreachable';
    return checks;
  };
  return async () => {
    if (!cached || Date.now() - cached.at > CACHE_MS) cached = { at: Date.now(), checks: check() };
    // The feed's state is read at every probe (it costs nothing): no cached "ok" hides a lost feed.
    const checks = { ...(await cached.checks) };
    if (changes) checks.changeFeed = changes.isLive() ? 'ok' : `${DEGRADED}notifications lost, serving from the database only (caches bypassed) until it reconnects`;
    const ready = Object.values(checks).every((v) => v === 'ok' || v.startsWith(DEGRADED));
    const degraded = Object.values(checks).some((v) => v.startsWith(DEGRADED));
    return { ready, status: ready ? (degraded ? 'degraded' : 'ready') : 'unready', checks };
  };
}
