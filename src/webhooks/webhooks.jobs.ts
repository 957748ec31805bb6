// The two jobs that carry an event to its webhooks, through the durable queue (#21):
// - `webhook.fan_out` (written by events/record.ts in the event's own transaction: the outbox)
//   makes one delivery row and one `webhook.deliver` job per subscribed endpoint, once each;
// - `webhook.deliver` POSTs the event, signed the Standard Webhooks way, and fails (so the queue
//   retries it with exponential back-off) until the receiver answers 2xx, or it is dead after
//   DJAM_WEBHOOK_MAX_ATTEMPTS tries and waits for a retry from the console.
import { and, eq, sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { Agent, fetch } from 'undici';
import type { Config } from '../config.ts';
import { unseal, type SecretKeys } from '../crypto/keys.ts';
import type { Db } from '../db/client.ts';
import { events, webhookDeliveries, webhookEndpoints } from '../db/schema.ts';
import { eventView } from '../events/index.ts';
import { enqueue, type JobHandlers } from '../queue/index.ts';
import { checkWebhookUrl, guardedLookup } from './url-check.ts';

type Deps = { db: Db; keys: SecretKeys; config: Config };

async function fanOut(deps: Deps, eventId: number): Promise<void> {
  const [event] = await deps.db.select({ type: events.type }).from(events).where(eq(events.id, eventId)).limit(1);
  if (!event) return; // swept meanwhile
  const endpoints = await deps.db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(and(eq(webhookEndpoints.isActive, true),
    sql`(jsonb_exists(${webhookEndpoints.eventTypes}, ${event.type}) or jsonb_exists(${webhookEndpoints.eventTypes}, '*'))`));
  await deps.db.transaction(async (tx) => {
    for (const endpoint of endpoints) {
      // Once per (endpoint, event): a fan-out run again after a crash adds nothing.
      const [row] = await tx.insert(webhookDeliveries).values({ endpointId: endpoint.id, eventId }).onConflictDoNothing().returning({ id: webhookDeliveries.id });
      if (!row) continue;
      const jobId = await enqueue(tx as unknown as Db, 'webhook.deliver', { delivery_id: row.id }, deps.config.DJAM_WEBHOOK_MAX_ATTEMPTS);
      await tx.update(webhookDeliveries).set({ jobId }).where(eq(webhookDeliveries.id, row.id));
    }
  });
}

async function loadDelivery(db: Db, id: number) {
  const [row] = await db.select({ delivery: webhookDeliveries, endpoint: webhookEndpoints, event: events }).from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .innerJoin(events, eq(events.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.id, id)).limit(1);
  return row;
}

/** One try: the receiver's status, or why there was none. */
async function post(deps: Deps, url: string, headers: Record<string, string>, body: string, dispatcher: Agent): Promise<{ status?: number; error?: string }> {
  try {
    if (!deps.config.DJAM_WEBHOOK_ALLOW_PRIVATE) await checkWebhookUrl(url, false); // an address literal meets no lookup
    const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', dispatcher, signal: AbortSignal.timeout(deps.config.DJAM_WEBHOOK_TIMEOUT_SECONDS * 1000) });
    await res.body?.cancel();
    return { status: res.status };
  } catch (err) {
    return { error: err instanceof Error ? `${err.name}: ${(err.cause as Error | undefined)?.message ?? err.message}` : String(err) };
  }
}

async function deliver(deps: Deps, dispatcher: Agent, deliveryId: number, attempt: number): Promise<void> {
  const found = await loadDelivery(deps.db, deliveryId);
  if (!found) return; // the endpoint was deleted, or the event swept
  const { endpoint, event } = found;
  if (!endpoint.isActive) {
    await deps.db.update(webhookDeliveries).set({ status: 'skipped', updatedAt: new Date() }).where(eq(webhookDeliveries.id, deliveryId));
    return;
  }
  const body = JSON.stringify({ type: event.type, timestamp: event.time.toISOString(), data: eventView(event) });
  const messageId = `msg_event_${event.id}`; // the same on every try: receivers drop repeats by it
  const now = new Date();
  const signature = new Webhook(unseal(deps.keys, endpoint.secretSealed)).sign(messageId, now, body);
  const headers = { 'content-type': 'application/json', 'user-agent': 'DJAM-Webhooks/1', 'webhook-id': messageId, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature };
  const outcome = await post(deps, endpoint.url, headers, body, dispatcher);
  const ok = outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300;
  const status = ok ? 'delivered' : attempt >= deps.config.DJAM_WEBHOOK_MAX_ATTEMPTS ? 'dead' : 'failed';
  await deps.db.update(webhookDeliveries).set({
    status, attempts: attempt, lastStatusCode: outcome.status ?? null, lastError: ok ? null : (outcome.error ?? `HTTP ${outcome.status}`).slice(0, 500),
    deliveredAt: ok ? new Date() : null, updatedAt: new Date(),
  }).where(eq(webhookDeliveries.id, deliveryId));
  if (!ok) throw new Error(`webhook ${endpoint.id}, event ${event.id}: ${outcome.error ?? `HTTP ${outcome.status}`}`);
}

export function webhookJobHandlers(deps: Deps): JobHandlers {
  // Connections look their host up through the SSRF guard (url-check.ts) unless private targets are allowed.
  const dispatcher = new Agent(deps.config.DJAM_WEBHOOK_ALLOW_PRIVATE ? {} : { connect: { lookup: guardedLookup } });
  return {
    'webhook.fan_out': (payload) => fanOut(deps, Number(payload.event_id)),
    'webhook.deliver': (payload, context) => deliver(deps, dispatcher, Number(payload.delivery_id), context.attempt),
  };
}
