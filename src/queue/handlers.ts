// What a job of each type does. Capabilities contribute handlers (`mail.send` in mail/); the
// runners only look them up by type.
export interface JobContext {
  jobId: number;
  /** 1 for the first run, 2 for the first retry, ... */
  attempt: number;
  createdAt: Date;
  /**
   * Runs `send`, an effect outside the database (an e-mail), at most once per job where its
   * completion is known: skipped (false) when an earlier run recorded it as sent; recorded as
   * started first, and only while this run still holds the job, so a runner that lost its lease
   * sends nothing. A run that died between the effect and its record repeats it.
   */
  deliverOnce(name: string, send: () => Promise<void>): Promise<boolean>;
}
type JobHandler = (payload: Record<string, unknown>, context: JobContext) => Promise<void>;
export type JobHandlers = Record<string, JobHandler>;
