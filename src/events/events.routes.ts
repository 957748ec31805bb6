// The event log's place in every request: where events come from (address, user agent, request
// id, for the services that record them), and, once the response is sent, each event recorded
// in the request as one structured line on the `events` logger (for Loki, Elastic, Splunk: no
// polling) and one count in /metrics. Events of the CLI and of jobs have no request: the log
// table and the webhooks carry them.
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { runInEventContext, type EventContext, type RecordedEvent } from './event-context.ts';

export interface EventStream { log: FastifyBaseLogger; count(type: string, outcome: string): void }

function logLine(e: RecordedEvent) {
  return {
    id: e.id, type: e.type, outcome: e.outcome, actor: { kind: e.actorKind, id: e.actorId, label: e.actorLabel },
    subject: e.subject, user_id: e.userId, client_id: e.clientId, ip: e.ip, user_agent: e.userAgent, request_id: e.requestId, changes: e.changes,
  };
}

export function registerEventStream(app: FastifyInstance, stream: EventStream): void {
  const contexts = new WeakMap<FastifyRequest, EventContext>();
  app.addHook('onRequest', (request, _reply, done) => {
    const userAgent = request.headers['user-agent'];
    const context: EventContext = { ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : undefined, requestId: request.id, recorded: [] };
    contexts.set(request, context);
    runInEventContext(context, done);
  });
  app.addHook('onResponse', async (request) => {
    for (const event of contexts.get(request)?.recorded ?? []) {
      stream.count(event.type, event.outcome);
      stream.log.info({ event: logLine(event) }, 'event');
    }
  });
}
