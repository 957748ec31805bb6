export type { JobHandlers } from './handlers.ts';
export { enqueue, findJob } from './jobs.store.ts';
export type { Job } from './jobs.store.ts';
export { createQueue, createWorker } from './queue.ts';
export type { Queue } from './queue.ts';
export type { JobLog } from './run-job.ts';
export { getJob, listJobsPage, retryDeadJob } from './jobs-admin.service.ts';
/** A job written with `db` (a transaction's), for capabilities without the Queue at hand; the runners poll for it. */
export { enqueue as enqueueJob } from './jobs.store.ts';
