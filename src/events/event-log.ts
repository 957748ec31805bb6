// The event log's rows as every reader shows them (the admin API, webhooks, the log lines), a
// user's own sign-ins, and the retention sweep.
import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { events, webhookDeliveries } from '../db/schema.ts';

type EventRow = typeof events.$inferSelect;

export interface EventView {
  id: number; type: string; time: string;
  actor: { kind: string; id: string; label: string };
  subject: string | null; user_id: number | null; client_id: string | null; ip: string | null; user_agent: string | null;
  request_id: string | null; outcome: string; changes: Record<string, unknown> | null;
}

export function eventView(row: EventRow): EventView {
  return {
    id: row.id, type: row.type, time: row.time.toISOString(),
    actor: { kind: row.actorKind, id: row.actorId, label: row.actorLabel },
    subject: row.subject, user_id: row.userId, client_id: row.clientId, ip: row.ip, user_agent: row.userAgent,
    request_id: row.requestId, outcome: row.outcome, changes: row.changes ?? null,
  };
}

/** A user's own recent sign-ins (their account page): when, from where, with what. */
export async function listOwnSignIns(deps: { db: Db }, userId: number, limit: number) {
  const rows = await deps.db.select({ time: events.time, ip: events.ip, userAgent: events.userAgent }).from(events)
    .where(and(eq(events.userId, userId), eq(events.type, 'user.login'))).orderBy(desc(events.id)).limit(limit);
  return rows;
}

/** Events past DJAM_EVENT_RETENTION_DAYS, and the delivery log of that age (the sweep). */
export async function deleteOldEvents(deps: { db: Db; config: { DJAM_EVENT_RETENTION_DAYS: number } }): Promise<void> {
  const cutoff = new Date(Date.now() - deps.config.DJAM_EVENT_RETENTION_DAYS * 86_400_000);
  await deps.db.delete(events).where(lt(events.time, cutoff));
  await deps.db.delete(webhookDeliveries).where(lt(webhookDeliveries.createdAt, cutoff));
}
