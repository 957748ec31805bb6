// /api/admin/jobs: background jobs by status, and a dead job sent round again.
import { Type } from 'typebox';
import { getJob, listJobsPage, retryDeadJob } from '../queue/index.ts';
import { actorOf, adminDoc, type AdminApp, type AdminDeps, IdParams, listQuerySchema, queryText, toPageRequest, pageView } from '../admin/index.ts';
import { JobPage, JobView, jobView } from './jobs.admin-schemas.ts';
import { audited } from '../access/index.ts';

export async function jobsAdminRoutes(app: AdminApp, deps: AdminDeps): Promise<void> {
  app.get('/jobs', {
    schema: {
      ...adminDoc('admin_jobs_list', 'Background jobs, newest first; filter by status or type', { 200: JobPage }),
      querystring: listQuerySchema(['id', 'run_at', 'updated_at'], {
        status: Type.Optional(Type.String({ enum: ['pending', 'relayed', 'running', 'done', 'dead'] })),
        type: Type.Optional(queryText(100)),
      }),
    },
  }, async (request) => pageView(await listJobsPage(deps, toPageRequest(request.query), { status: request.query.status, type: request.query.type }), jobView));

  app.get('/jobs/:id', {
    schema: { ...adminDoc('admin_jobs_retrieve', 'A job', { 200: JobView }), params: IdParams },
  }, async (request) => jobView(await getJob(deps, request.params.id)));

  app.post('/jobs/:id/retry', {
    schema: { ...adminDoc('admin_jobs_retry', 'Retry a dead job: pending again, attempts reset, due now', { 200: JobView, 409: { description: '`JOB_NOT_DEAD`', $ref: 'AdminError' } }), params: IdParams },
  }, async (request) => {
    const before = await getJob(deps, request.params.id);
    const job = await audited(deps.db, actorOf(request), async (tx) => {
      const retried = await retryDeadJob({ db: tx }, before.id);
      return { action: 'job.retry', entityType: 'job', entityId: before.id, before: jobView(before), after: jobView(retried), result: retried };
    });
    return jobView(job);
  });
}
