// Runs one claimed job with its handler and records the outcome.
import type { Db } from '../db/client.ts';
import type { JobHandlers } from './handlers.ts';
import { markDone, markFailed, type Job, type RetryPolicy } from './jobs.store.ts';

export interface JobLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export async function runJob(db: Db, handlers: JobHandlers, job: Job, policy: RetryPolicy, log: JobLog): Promise<void> {
  const handler = handlers[job.type];
  try {
    if (!handler) throw new Error(`no handler for job type ${job.type}`);
    await handler(job.payload);
    await markDone(db, job.id);
    log.info({ jobId: job.id, type: job.type, attempt: job.attempts }, 'job.done');
  } catch (err) {
    const outcome = await markFailed(db, job, err, policy);
    const entry = { jobId: job.id, type: job.type, attempt: job.attempts, error: err instanceof Error ? err.message : String(err) };
    if (outcome === 'dead') log.error(entry, 'job.dead');
    else log.warn(entry, 'job.retry_scheduled');
  }
}
