// Readiness for an orchestrator: the database answers, every committed migration is applied,
// and the broker is reachable when one is configured. Results are cached for a second so a
// probe every second costs at most one query.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { migrationsFolder } from '../db/migrate.ts';

export interface ReadinessReport { ready: boolean; checks: Record<string, 'ok' | string> }
export interface BrokerProbe { (): Promise<boolean> }

const CACHE_MS = 1000;

function committedMigrations(): number {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

export function readinessChecker(db: Db, brokerProbe?: BrokerProbe): () => Promise<ReadinessReport> {
  const expected = committedMigrations();
  let cached: { at: number; report: Promise<ReadinessReport> } | undefined;
  const check = async (): Promise<ReadinessReport> => {
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
    return { ready: Object.values(checks).every((v) => v === 'ok'), checks };
  };
  return () => {
    if (!cached || Date.now() - cached.at > CACHE_MS) cached = { at: Date.now(), report: check() };
    return cached.report;
  };
}
