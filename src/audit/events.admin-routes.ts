// /api/admin/events: the event log, newest first, filtered, a cursor per page; and its export
// as NDJSON (one event per line, for a SIEM) or CSV (for a spreadsheet).
import { Readable } from 'node:stream';
import type { Static } from 'typebox';
import { actorOf, adminDoc, type AdminApp, type AdminDeps } from '../admin/index.ts';
import { CSV_CONTENT_TYPE, toCsv } from '../http/csv.ts';
import { EventList, EventQuery, ExportQuery, FailedSignIns } from './events.admin-schemas.ts';
import type { EventView } from '../events/index.ts';
import { eachEvent, failedSignInsByHour, listEvents, type EventFilters } from './events.service.ts';

function filtersOf(q: Static<typeof EventQuery> | Static<typeof ExportQuery>): EventFilters {
  return {
    types: q.type ? q.type.split(',').filter(Boolean) : undefined, userId: q.user_id, clientId: q.client_id, ip: q.ip,
    outcome: q.outcome, actorId: q.actor_id, since: q.since ? new Date(q.since) : undefined, until: q.until ? new Date(q.until) : undefined,
    q: q.q?.trim() || undefined,
  };
}

const CSV_HEADER = ['id', 'time', 'type', 'outcome', 'actor_kind', 'actor_id', 'actor_label', 'subject', 'user_id', 'client_id', 'ip', 'user_agent', 'request_id', 'changes'] as const;

function csvRow({ actor, changes, ...e }: EventView) {
  return { ...e, actor_kind: actor.kind, actor_id: actor.id, actor_label: actor.label, changes: changes ? JSON.stringify(changes) : null };
}

async function* exportLines(events: AsyncGenerator<EventView>, format: 'csv' | 'ndjson'): AsyncGenerator<string> {
  if (format === 'csv') yield toCsv(CSV_HEADER, []);
  for await (const e of events) yield format === 'csv' ? toCsv(CSV_HEADER, [csvRow(e)]).split('\r\n').slice(1).join('\r\n') : `${JSON.stringify(e)}\n`;
}

export async function eventsAdminRoutes(app: AdminApp, deps: AdminDeps): Promise<void> {
  app.get('/events', {
    schema: { ...adminDoc('admin_events_list', 'The event log, newest first: sign-ins, changes, by anyone at any door (docs/events.md)', { 200: EventList }), querystring: EventQuery },
  }, async (request) => listEvents(deps, actorOf(request), filtersOf(request.query), { cursor: request.query.cursor, limit: request.query.limit ?? 50 }));

  app.get('/events/failed-sign-ins', {
    schema: adminDoc('admin_events_failed_sign_ins', 'Failed sign-ins in the last 24 hours, per hour (the dashboard tile)', { 200: FailedSignIns }),
  }, async (request) => failedSignInsByHour(deps, actorOf(request)));

  app.get('/events/export', {
    schema: { ...adminDoc('admin_events_export', 'The event log as NDJSON (default) or CSV, newest first, with the same filters', { 200: { description: 'NDJSON or CSV' } }), querystring: ExportQuery },
  }, async (request, reply) => {
    const format = request.query.format === 'csv' ? 'csv' : 'ndjson';
    const events = eachEvent(deps, actorOf(request), filtersOf(request.query), request.query.limit ?? 10_000);
    const first = await events.next(); // the policy's refusal as an error answer, before the stream starts
    async function* all() { if (!first.done) yield first.value; yield* events; }
    reply.header('content-disposition', `attachment; filename="events.${format === 'csv' ? 'csv' : 'ndjson'}"`);
    reply.type(format === 'csv' ? CSV_CONTENT_TYPE : 'application/x-ndjson');
    return reply.send(Readable.from(exportLines(all(), format)));
  });
}
