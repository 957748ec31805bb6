// A webhook endpoint's delivery log, newest first, and a dead delivery sent round again.
import { and, desc, eq, lt } from 'drizzle-orm';
import { audited, type Actor } from '../access/index.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { events, webhookDeliveries } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { enqueue } from '../queue/index.ts';
import { getWebhook } from './webhooks.service.ts';

type DeliveryRow = typeof webhookDeliveries.$inferSelect;

function deliveryView(d: DeliveryRow & { eventType?: string | null }) {
  return {
    id: d.id, event_id: d.eventId, event_type: d.eventType ?? null, status: d.status, attempts: d.attempts, job_id: d.jobId,
    last_status_code: d.lastStatusCode, last_error: d.lastError, delivered_at: d.deliveredAt?.toISOString() ?? null,
    created_at: d.createdAt.toISOString(), updated_at: d.updatedAt.toISOString(),
  };
}

export async function listDeliveries(deps: { db: Db }, actor: Actor, endpointId: number, page: { before?: number; limit: number }) {
  await getWebhook(deps, actor, endpointId);
  const below = page.before ? [lt(webhookDeliveries.id, page.before)] : [];
  const rows = await deps.db.select({ delivery: webhookDeliveries, eventType: events.type }).from(webhookDeliveries)
    .leftJoin(events, eq(events.id, webhookDeliveries.eventId))
    .where(and(eq(webhookDeliveries.endpointId, endpointId), ...below)).orderBy(desc(webhookDeliveries.id)).limit(page.limit);
  return rows.map((r) => deliveryView({ ...r.delivery, eventType: r.eventType }));
}

/** A dead delivery gets a fresh job (its full count of tries); a pending or delivered one is left alone. */
export async function retryDelivery(deps: { db: Db; config: Config }, actor: Actor, endpointId: number, deliveryId: number) {
  await getWebhook(deps, actor, endpointId);
  const [before] = await deps.db.select().from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpointId))).limit(1);
  if (!before) throw new AppError('WEBHOOK_DELIVERY_NOT_FOUND', { details: { id: deliveryId } });
  if (before.status !== 'dead') throw new AppError('JOB_NOT_DEAD', { message: 'Only a dead delivery can be retried.', details: { status: before.status } });
  return audited(deps.db, actor, async (tx) => {
    const jobId = await enqueue(tx, 'webhook.deliver', { delivery_id: deliveryId }, deps.config.DJAM_WEBHOOK_MAX_ATTEMPTS);
    const [after] = await tx.update(webhookDeliveries).set({ status: 'pending', attempts: 0, jobId, lastError: null, updatedAt: new Date() })
      .where(eq(webhookDeliveries.id, deliveryId)).returning();
    return { action: 'webhook.retry', entityType: 'webhook', entityId: endpointId, before: deliveryView(before), after: deliveryView(after), result: deliveryView(after) };
  });
}
