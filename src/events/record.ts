// Records one event in the caller's transaction, and with it the outbox row of its webhooks: a
// `webhook.fan_out` job, written only when some active endpoint subscribes to the type, in the
// same statement. The event and its deliveries commit or vanish together with the change.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { currentEventContext, type RecordedEvent } from './event-context.ts';

/** Who caused the event, as access/actor.ts describes any actor. */
export interface EventActor { kind: string; id: string; label: string; ip?: string }

export interface EventInput {
  type: string;
  outcome?: 'success' | 'failure';
  subject?: string | null;
  userId?: number | null;
  clientId?: string | null;
  /** Before/after of a change or the facts of an attempt; the caller has removed every secret. */
  changes?: Record<string, unknown> | null;
}

/** The actor kinds the API fixes: user, api_key, client, cli, system. */
const actorKind = (kind: string) => kind.replaceAll('-', '_');
const cut = (text: string | undefined | null, length: number) => (text ? text.slice(0, length) : null);

/**
 * `alongside`: another insert of the same change (the audit entry, access/audit.ts) sent in the
 * same statement as a leading CTE: one round trip for both on every audited change and sign-in.
 */
export async function recordEvent(db: Db, actor: EventActor, event: EventInput, alongside?: SQL): Promise<void> {
  const context = currentEventContext();
  const row = {
    type: event.type, outcome: event.outcome ?? 'success', actorKind: actorKind(actor.kind),
    actorId: actor.id.slice(0, 255), actorLabel: actor.label.slice(0, 255), subject: cut(event.subject, 300),
    userId: event.userId ?? null, clientId: cut(event.clientId, 255), ip: cut(context?.ip ?? actor.ip, 64),
    userAgent: cut(context?.userAgent, 500), requestId: cut(context?.requestId, 128),
    changes: event.changes ?? null,
  };
  const result = await db.execute(sql`with ${alongside ? sql`also as (${alongside}), ` : sql``}e as (
      insert into events (type, outcome, actor_kind, actor_id, actor_label, subject, user_id, client_id, ip, user_agent, request_id, changes)
      values (${row.type}, ${row.outcome}, ${row.actorKind}, ${row.actorId}, ${row.actorLabel}, ${row.subject}, ${row.userId},
        ${row.clientId}, ${row.ip}, ${row.userAgent}, ${row.requestId}, ${row.changes === null ? null : JSON.stringify(row.changes)}::jsonb)
      returning id, type),
    outbox as (
      insert into jobs (type, payload)
      select 'webhook.fan_out', jsonb_build_object('event_id', e.id) from e
      where exists (select 1 from webhook_endpoints w where w.is_active
        and (jsonb_exists(w.event_types, e.type) or jsonb_exists(w.event_types, '*'))))
    select id from e`);
  const id = Number((result as unknown as { rows: Array<{ id: number }> }).rows[0].id);
  context?.recorded.push({ id, ...row } satisfies RecordedEvent);
}
