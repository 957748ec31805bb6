// Background jobs as staff see them in the admin API: listed by status, and a dead job retried.
import { and, count, eq, ilike, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { jobs } from '../db/schema.ts';
import { likePattern, offsetOf, orderFor, type Page, type PageRequest } from '../db/paging.ts';
import { AppError } from '../errors.ts';
import type { Job } from './jobs.store.ts';

export async function listJobsPage(deps: { db: Db }, req: PageRequest, filters: { status?: string; type?: string }): Promise<Page<Job>> {
  const conditions: SQL[] = [];
  if (filters.status) conditions.push(eq(jobs.status, filters.status));
  if (filters.type) conditions.push(eq(jobs.type, filters.type));
  if (req.search) conditions.push(ilike(jobs.type, likePattern(req.search)));
  const where = and(...conditions);
  const items = await deps.db.select().from(jobs).where(where)
    .orderBy(...orderFor(req.sort ?? '-id', { id: jobs.id, run_at: jobs.runAt, updated_at: jobs.updatedAt }, jobs.id))
    .limit(req.pageSize).offset(offsetOf(req));
  const [{ n }] = await deps.db.select({ n: count() }).from(jobs).where(where);
  return { items, total: n, page: req.page, pageSize: req.pageSize };
}

export async function getJob(deps: { db: Db }, id: number): Promise<Job> {
  const [row] = Number.isSafeInteger(id) ? await deps.db.select().from(jobs).where(eq(jobs.id, id)).limit(1) : [];
  if (!row) throw new AppError('JOB_NOT_FOUND', { details: { id } });
  return row;
}

/** A dead job starts over: pending, no attempts, due now. Any other status is refused. */
export async function retryDeadJob(deps: { db: Db }, id: number): Promise<Job> {
  const [row] = await deps.db.update(jobs).set({ status: 'pending', attempts: 0, runAt: new Date(), lockedUntil: null, updatedAt: new Date() })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'dead'))).returning();
  if (row) return row;
  const job = await getJob(deps, id);
  throw new AppError('JOB_NOT_DEAD', { details: { id, status: job.status } });
}
