// Webhook endpoints (#21): registered by a superuser (they receive every identity's events),
// each with the event types it wants and a `whsec_…` signing secret, sealed at rest and shown
// once. Changes are audited like any other, and so appear in the event log themselves.
import { randomBytes } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { assertMay, audited, type Actor } from '../access/index.ts';
import type { Config } from '../config.ts';
import { seal, type SecretKeys } from '../crypto/keys.ts';
import type { Db } from '../db/client.ts';
import { webhookEndpoints } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { isEventType } from '../events/index.ts';
import { checkWebhookUrl } from './url-check.ts';

type Deps = { db: Db; keys: SecretKeys; config: Config };
export type WebhookRow = typeof webhookEndpoints.$inferSelect;

export interface WebhookInput { url: string; eventTypes: string[]; secret?: string; description?: string; isActive?: boolean }

/** What the log and the API show of an endpoint: never its secret. */
export function webhookRecord(w: WebhookRow) {
  return { id: w.id, url: w.url, event_types: w.eventTypes, description: w.description, is_active: w.isActive, created_at: w.createdAt.toISOString(), updated_at: w.updatedAt.toISOString() };
}

function checkEventTypes(types: string[]): string[] {
  const unknown = types.filter((t) => t !== '*' && !isEventType(t));
  if (unknown.length) throw new AppError('WEBHOOK_EVENT_TYPE_UNKNOWN', { details: { unknown } });
  return [...new Set(types)];
}

/** A given secret must be a Standard Webhooks one (`whsec_` + base64 of 24 to 64 bytes); none: 32 random bytes. */
function secretOf(given: string | undefined): string {
  if (given === undefined) return `whsec_${randomBytes(32).toString('base64')}`;
  const raw = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(given);
  const bytes = raw ? Buffer.from(raw[1], 'base64').length : 0;
  if (bytes < 24 || bytes > 64) throw new AppError('VALIDATION_FAILED', { message: 'A webhook secret is whsec_ followed by the base64 of 24 to 64 random bytes.', details: { field: 'secret' } });
  new Webhook(given); // throws on a secret the library cannot use
  return given;
}

export async function createWebhook(deps: Deps, actor: Actor, input: WebhookInput): Promise<{ webhook: WebhookRow; secret: string }> {
  assertMay(actor, 'webhooks.manage');
  const url = await checkWebhookUrl(input.url, deps.config.DJAM_WEBHOOK_ALLOW_PRIVATE);
  const eventTypes = checkEventTypes(input.eventTypes);
  const secret = secretOf(input.secret);
  return audited(deps.db, actor, async (tx) => {
    const [webhook] = await tx.insert(webhookEndpoints).values({
      url, eventTypes, secretSealed: seal(deps.keys, secret), description: input.description ?? '', isActive: input.isActive ?? true,
    }).returning();
    return { action: 'webhook.create', entityType: 'webhook', entityId: webhook.id, after: webhookRecord(webhook), result: { webhook, secret } };
  });
}

export async function listWebhooks(deps: { db: Db }, actor: Actor): Promise<WebhookRow[]> {
  assertMay(actor, 'webhooks.manage');
  return deps.db.select().from(webhookEndpoints).orderBy(desc(webhookEndpoints.id));
}

export async function getWebhook(deps: { db: Db }, actor: Actor, id: number): Promise<WebhookRow> {
  assertMay(actor, 'webhooks.manage');
  const [row] = await deps.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).limit(1);
  if (!row) throw new AppError('WEBHOOK_NOT_FOUND', { details: { id } });
  return row;
}

export async function changeWebhook(deps: Deps, actor: Actor, id: number, input: Partial<WebhookInput>): Promise<WebhookRow> {
  const before = await getWebhook(deps, actor, id);
  const change = {
    ...(input.url !== undefined ? { url: await checkWebhookUrl(input.url, deps.config.DJAM_WEBHOOK_ALLOW_PRIVATE) } : {}),
    ...(input.eventTypes !== undefined ? { eventTypes: checkEventTypes(input.eventTypes) } : {}),
    ...(input.secret !== undefined ? { secretSealed: seal(deps.keys, secretOf(input.secret)) } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.isActive !== undefined ? { isActive: input.isActive } : {}),
  };
  return audited(deps.db, actor, async (tx) => {
    const [after] = await tx.update(webhookEndpoints).set({ ...change, updatedAt: new Date() }).where(eq(webhookEndpoints.id, id)).returning();
    return { action: 'webhook.update', entityType: 'webhook', entityId: id, before: webhookRecord(before), after: webhookRecord(after), result: after };
  });
}

export async function deleteWebhook(deps: { db: Db }, actor: Actor, id: number): Promise<void> {
  const before = await getWebhook(deps, actor, id);
  await audited(deps.db, actor, async (tx) => {
    await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id));
    return { action: 'webhook.delete', entityType: 'webhook', entityId: id, before: webhookRecord(before), result: undefined };
  });
}
