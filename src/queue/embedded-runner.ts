// The embedded backend: the server process itself runs due jobs from the database, one at a
// time, waking on enqueue and polling (DJAM_JOB_POLL_SECONDS) for retries and recovered jobs.
import type { Db } from '../db/client.ts';
import type { JobHandlers } from './handlers.ts';
import { claimNext, type RetryPolicy } from './jobs.store.ts';
import { runJob, runnerId, type JobLog } from './run-job.ts';

export class EmbeddedRunner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly id = runnerId();

  private readonly db: Db;
  private readonly handlers: JobHandlers;
  private readonly policy: RetryPolicy;
  private readonly log: JobLog;

  constructor(db: Db, handlers: JobHandlers, policy: RetryPolicy, log: JobLog) {
    this.db = db;
    this.handlers = handlers;
    this.policy = policy;
    this.log = log;
  }

  start(): void {
    this.schedule(0);
  }

  /** Called after a job was committed, so it runs without waiting for the next poll. */
  wake(): void {
    if (!this.running && !this.stopped) this.schedule(0);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.running = this.drain().finally(() => { this.running = undefined; }); }, ms).unref();
  }

  private async drain(): Promise<void> {
    try {
      for (let job = await claimNext(this.db, 'running', this.policy.lockSeconds, this.id); job && !this.stopped;
        job = await claimNext(this.db, 'running', this.policy.lockSeconds, this.id)) {
        await runJob(this.db, this.handlers, job, this.policy, this.log);
      }
    } catch (err) {
      this.log.warn({ error: err instanceof Error ? err.message : String(err) }, 'jobs.poll_failed');
    }
    if (!this.stopped) this.schedule(this.policy.pollSeconds * 1000);
  }

  /** Lets the job in progress finish, then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
