// The delivery key of a job's outside effect (job_deliveries): checked before sending, recorded as
// started before and as sent after, so a retry after a crash or a lost lease does not send again
// what is known to have been sent.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { jobDeliveries, jobs } from '../db/schema.ts';
import type { Lease } from './jobs.store.ts';

class LeaseLostError extends Error {
  constructor(jobId: number) {
    super(`job ${jobId}: the lease ran out or another runner took the job; nothing was sent`);
  }
}

export async function deliverOnce(db: Db, lease: Lease, name: string, send: () => Promise<void>): Promise<boolean> {
  const key = `${name}:${lease.jobId}`;
  if (await wasSent(db, key)) return false;
  // Started under a live lease only: the row is written only while this claim still holds the job.
  const started = await db.execute(sql`insert into ${jobDeliveries} (key, job_id)
      select ${key}, ${lease.jobId} where exists (select 1 from ${jobs} where ${jobs.id} = ${lease.jobId}
        and ${jobs.status} = 'running' and ${jobs.leaseToken} = ${lease.token} and ${jobs.lockedUntil} > now())
    on conflict (key) do update set tries = ${jobDeliveries.tries} + 1, started_at = now() where ${jobDeliveries.sentAt} is null
    returning key`);
  if (!(started as { rows: unknown[] }).rows.length) {
    if (await wasSent(db, key)) return false;
    throw new LeaseLostError(lease.jobId);
  }
  await send();
  // Recorded whatever the lease: the effect happened, and the next run must know it.
  await db.update(jobDeliveries).set({ sentAt: new Date() }).where(eq(jobDeliveries.key, key));
  return true;
}

async function wasSent(db: Db, key: string): Promise<boolean> {
  const [row] = await db.select({ sentAt: jobDeliveries.sentAt }).from(jobDeliveries).where(eq(jobDeliveries.key, key)).limit(1);
  return Boolean(row?.sentAt);
}
