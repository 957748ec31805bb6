// The admin API's jobs (/api/admin/jobs): schemas and the view (a summary, never the payload).
import { Type } from 'typebox';
import { Nullable, DateTime, pageSchema, iso } from '../admin/schema-kit.ts';
import type { Job } from '../queue/index.ts';

export const JobView = Type.Object({
  id: Type.Integer(), type: Type.String(),
  summary: Type.Record(Type.String(), Type.String(), { description: 'Recipient and subject of a mail job; the payload itself (one-time links) is not shown.' }),
  status: Type.String(),
  attempts: Type.Integer(), max_attempts: Type.Integer(), run_at: DateTime, last_error: Nullable(Type.String()),
  created_at: DateTime, updated_at: DateTime,
});
export const JobPage = pageSchema(JobView);

/** What a job is about, without its payload: a mail job carries links with one-time tokens. */
function jobSummary(payload: Record<string, unknown>): Record<string, string> {
  const summary: Record<string, string> = {};
  for (const name of ['to', 'subject']) if (typeof payload[name] === 'string') summary[name] = payload[name];
  return summary;
}

export const jobView = (j: Job) => ({
  id: j.id, type: j.type, summary: jobSummary(j.payload), status: j.status, attempts: j.attempts, max_attempts: j.maxAttempts,
  run_at: iso(j.runAt), last_error: j.lastError, created_at: iso(j.createdAt), updated_at: iso(j.updatedAt),
});
