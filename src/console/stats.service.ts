// The console dashboard's counts, read in one statement so polling it stays cheap.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';

export interface DashboardStats {
  users: number;
  active_keys: number;
  clients: number;
  jobs_waiting: number;
  jobs_failed: number;
  logins_last_day: number;
}

export async function readDashboardStats(deps: { db: Db }, now: Date = new Date()): Promise<DashboardStats> {
  const dayAgo = new Date(now.getTime() - 24 * 3600 * 1000).toISOString();
  const at = now.toISOString();
  const result = await deps.db.execute(sql`
    SELECT
      (SELECT count(*) FROM users)::int AS users,
      (SELECT count(*) FROM api_keys WHERE NOT revoked AND expiry > ${at})::int AS active_keys,
      (SELECT count(*) FROM oauth_clients)::int AS clients,
      (SELECT count(*) FROM jobs WHERE status IN ('pending', 'relayed', 'running'))::int AS jobs_waiting,
      (SELECT count(*) FROM jobs WHERE status = 'dead')::int AS jobs_failed,
      (SELECT count(*) FROM users WHERE last_login > ${dayAgo})::int AS logins_last_day`);
  const row = (result as unknown as { rows: Array<Record<keyof DashboardStats, number>> }).rows[0];
  return {
    users: Number(row.users), active_keys: Number(row.active_keys), clients: Number(row.clients),
    jobs_waiting: Number(row.jobs_waiting), jobs_failed: Number(row.jobs_failed), logins_last_day: Number(row.logins_last_day),
  };
}
