// The jobs table as a queue: enqueue inside the caller's transaction (the outbox), claim with
// SKIP LOCKED so concurrent runners never take the same job, and finish, retry or bury it. Every
// claim is a lease (runner id + a fresh token, until locked_until): the outcome of a run is
// written only while the runner still holds it, so a runner that outlived its lease (a stall, a
// lost connection) cannot mark done or failed a job that another runner has taken since.
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { jobs } from '../db/schema.ts';

export type Job = typeof jobs.$inferSelect;
export interface RetryPolicy { maxAttempts: number; retrySeconds: number; lockSeconds: number; pollSeconds: number }
/** Who holds a claimed job: the runner's id and the token of this one claim. */
export interface Lease { jobId: number; owner: string; token: string }

/** Writes a job; pass the transaction of the change that causes it. */
export async function enqueue(db: Db, type: string, payload: Record<string, unknown>, maxAttempts = 5): Promise<number> {
  const [row] = await db.insert(jobs).values({ type, payload, maxAttempts }).returning({ id: jobs.id });
  return row.id;
}

/** Jobs that are due: pending ones, and running ones whose runner vanished (lock expired). */
const due = sql`(${jobs.status} = 'pending' and ${jobs.runAt} <= now())
  or (${jobs.status} in ('running', 'relayed') and ${jobs.lockedUntil} < now())`;

/** Takes the next due job and marks it with `status` (running here, or relayed to a broker). */
export async function claimNext(db: Db, status: 'running' | 'relayed', lockSeconds: number, owner: string): Promise<Job | undefined> {
  const rows = await db.execute(sql`update ${jobs} set status = ${status}, updated_at = now(),
      locked_until = now() + make_interval(secs => ${lockSeconds}), locked_by = ${owner}, lease_token = ${randomUUID()},
      attempts = ${jobs.attempts} + ${status === 'running' ? 1 : 0}
    where ${jobs.id} = (select ${jobs.id} from ${jobs} where ${due} order by ${jobs.id} for update skip locked limit 1)
    returning *`);
  return toJob(rows);
}

/** A broker-delivered job: taken only if nobody else runs it now, so each runs once at a time. */
export async function claimById(db: Db, id: number, lockSeconds: number, owner: string): Promise<Job | undefined> {
  const rows = await db.execute(sql`update ${jobs} set status = 'running', updated_at = now(), attempts = ${jobs.attempts} + 1,
      locked_until = now() + make_interval(secs => ${lockSeconds}), locked_by = ${owner}, lease_token = ${randomUUID()}
    where ${jobs.id} = ${id} and (${jobs.status} in ('pending', 'relayed') or (${jobs.status} = 'running' and ${jobs.lockedUntil} < now()))
    returning *`);
  return toJob(rows);
}

function toJob(result: unknown): Job | undefined {
  const rows = (result as { rows: Record<string, unknown>[] }).rows;
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: Number(r.id), type: String(r.type), payload: r.payload as Record<string, unknown>, status: String(r.status),
    attempts: Number(r.attempts), maxAttempts: Number(r.max_attempts), runAt: new Date(String(r.run_at)),
    lockedUntil: r.locked_until ? new Date(String(r.locked_until)) : null, lastError: (r.last_error as string | null) ?? null,
    lockedBy: (r.locked_by as string | null) ?? null, leaseToken: (r.lease_token as string | null) ?? null,
    createdAt: new Date(String(r.created_at)), updatedAt: new Date(String(r.updated_at)),
  };
}

export function leaseOf(job: Job): Lease {
  return { jobId: job.id, owner: job.lockedBy ?? '', token: job.leaseToken ?? '' };
}

/** The row as long as `lease` holds it: same runner, same claim, still running. */
function heldBy(lease: Lease): ReturnType<typeof and> {
  return and(eq(jobs.id, lease.jobId), eq(jobs.status, 'running'), eq(jobs.lockedBy, lease.owner), eq(jobs.leaseToken, lease.token));
}

/** Marks the job done if `lease` still holds it; false when the lease was lost (the result is discarded). */
export async function markDone(db: Db, lease: Lease): Promise<boolean> {
  const rows = await db.update(jobs).set({ status: 'done', lockedUntil: null, lastError: null, updatedAt: new Date() })
    .where(heldBy(lease)).returning({ id: jobs.id });
  return rows.length > 0;
}

/**
 * Extends a lease that has not yet run out. An expired lease is not revived even when nobody took
 * the job yet: from that moment another runner may claim it, and only one of the two may go on.
 */
export async function renewLease(db: Db, lease: Lease, lockSeconds: number): Promise<boolean> {
  const rows = await db.update(jobs).set({ lockedUntil: sql`now() + make_interval(secs => ${lockSeconds})` })
    .where(and(heldBy(lease), sql`${jobs.lockedUntil} > now()`)).returning({ id: jobs.id });
  return rows.length > 0;
}

/** Schedules another try with exponential backoff, or buries the job after its last try; `lease_lost` writes nothing. */
export async function markFailed(db: Db, job: Job, error: unknown, policy: RetryPolicy): Promise<'retry' | 'dead' | 'lease_lost'> {
  const message = error instanceof Error ? error.message : String(error);
  const dead = job.attempts >= job.maxAttempts;
  const delayMs = policy.retrySeconds * 1000 * 2 ** Math.max(0, job.attempts - 1);
  const rows = await db.update(jobs).set({
    status: dead ? 'dead' : 'pending', lockedUntil: null, lastError: message.slice(0, 2000), updatedAt: new Date(),
    runAt: new Date(Date.now() + delayMs),
  }).where(heldBy(leaseOf(job))).returning({ id: jobs.id });
  if (!rows.length) return 'lease_lost';
  return dead ? 'dead' : 'retry';
}

export async function findJob(db: Db, id: number): Promise<Job | undefined> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id)).limit(1);
  return row;
}
