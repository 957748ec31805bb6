// Runs one claimed job with its handler and records the outcome under the runner's lease: the
// lease is renewed while the handler runs (so a slow but live run keeps its job), and a run
// whose lease was lost has its outcome logged and discarded, never written over the new holder's.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { deliverOnce } from './deliveries.ts';
import type { JobContext, JobHandlers } from './handlers.ts';
import { leaseOf, markDone, markFailed, renewLease, type Job, type Lease, type RetryPolicy } from './jobs.store.ts';

export interface JobLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A runner's identity in `jobs.locked_by`: host, process and instance. */
export function runnerId(): string {
  return `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
}

/** Renews the lease every third of its length until stopped; reports once when it is lost. */
function keepLease(db: Db, lease: Lease, lockSeconds: number, onLost: () => void): () => void {
  let lost = false;
  const timer = setInterval(() => {
    renewLease(db, lease, lockSeconds).then((held) => {
      if (!held && !lost) { lost = true; clearInterval(timer); onLost(); }
    }, () => undefined); // the database unreachable: the lease may run out, and the outcome check catches it
  }, Math.max(50, (lockSeconds * 1000) / 3));
  timer.unref();
  return () => clearInterval(timer);
}

export async function runJob(db: Db, handlers: JobHandlers, job: Job, policy: RetryPolicy, log: JobLog): Promise<void> {
  const handler = handlers[job.type];
  const lease = leaseOf(job);
  const entry = { jobId: job.id, type: job.type, attempt: job.attempts, runner: lease.owner };
  const stopRenewing = keepLease(db, lease, policy.lockSeconds, () => log.warn(entry, 'job.lease_expired'));
  const context: JobContext = {
    jobId: job.id, attempt: job.attempts, createdAt: job.createdAt,
    deliverOnce: (name, send) => deliverOnce(db, lease, name, send),
  };
  try {
    if (!handler) throw new Error(`no handler for job type ${job.type}`);
    await handler(job.payload, context);
    stopRenewing();
    if (await markDone(db, lease)) log.info(entry, 'job.done');
    else log.warn(entry, 'job.lease_lost');
  } catch (err) {
    stopRenewing();
    const outcome = await markFailed(db, job, err, policy);
    const failure = { ...entry, error: err instanceof Error ? err.message : String(err) };
    if (outcome === 'dead') log.error(failure, 'job.dead');
    else if (outcome === 'lease_lost') log.warn(failure, 'job.lease_lost');
    else log.warn(failure, 'job.retry_scheduled');
  }
}
