// The admin API's event log (/api/admin/events): the query and the item, as docs/events.md shows them.
import { Type } from 'typebox';
import { DateTime, Nullable, queryText } from '../admin/schema-kit.ts';

const Text = (n: number) => Type.Optional(queryText(n));

const filters = {
  type: Type.Optional(Type.String({ maxLength: 1000, pattern: '^[a-z_.,*]*$', description: 'An event type, or several separated by commas.' })),
  user_id: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  client_id: Text(255),
  ip: Text(64),
  actor_id: Text(255),
  outcome: Type.Optional(Type.String({ enum: ['success', 'failure'] })),
  since: Type.Optional(Type.String({ format: 'date-time' })),
  until: Type.Optional(Type.String({ format: 'date-time' })),
  q: Type.Optional(Type.String({ maxLength: 200, pattern: '^[^\\u0000-\\u001f]*$', description: 'Text in the subject or the actor\'s label.' })),
};

export const EventQuery = Type.Object({
  ...filters,
  cursor: Text(64),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
});

export const ExportQuery = Type.Object({
  ...filters,
  format: Type.Optional(Type.String({ enum: ['ndjson', 'csv'], default: 'ndjson' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 })),
});

export const EventItem = Type.Object({
  id: Type.Integer(), type: Type.String(), time: DateTime,
  actor: Type.Object({ kind: Type.String(), id: Type.String(), label: Type.String() }),
  subject: Nullable(Type.String()), user_id: Nullable(Type.Integer()), client_id: Nullable(Type.String()), ip: Nullable(Type.String()),
  user_agent: Nullable(Type.String()), request_id: Nullable(Type.String()), outcome: Type.String(),
  changes: Nullable(Type.Record(Type.String(), Type.Unknown())),
});

export const EventList = Type.Object({ items: Type.Array(EventItem), next_cursor: Nullable(Type.String()) });

export const FailedSignIns = Type.Object({
  total: Type.Integer(),
  hours: Type.Array(Type.Object({ hour: DateTime, count: Type.Integer() }), { description: 'The last 24 hours, oldest first.' }),
});
