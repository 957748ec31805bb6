// /api/admin/webhooks: endpoints that receive the event log as signed POSTs (superusers only),
// their delivery log, and a dead delivery retried.
import { actorOf, adminDoc, IdParams, NoContent, type AdminApp, type AdminDeps } from '../admin/index.ts';
import { listDeliveries, retryDelivery } from './webhook-deliveries.service.ts';
import { DeliveryList, DeliveryParams, DeliveryQuery, DeliveryView, WebhookCreate, WebhookCreated, WebhookList, WebhookPatch, WebhookView } from './webhooks.admin-schemas.ts';
import { changeWebhook, createWebhook, deleteWebhook, getWebhook, listWebhooks, webhookRecord } from './webhooks.service.ts';

export async function webhooksAdminRoutes(app: AdminApp, deps: AdminDeps): Promise<void> {
  app.get('/webhooks', { schema: adminDoc('admin_webhooks_list', 'Webhook endpoints (superusers only)', { 200: WebhookList }) },
    async (request) => ({ items: (await listWebhooks(deps, actorOf(request))).map(webhookRecord) }));

  app.post('/webhooks', {
    schema: { ...adminDoc('admin_webhooks_create', 'Register an endpoint; its signing secret is in this answer only', { 201: WebhookCreated }), body: WebhookCreate },
  }, async (request, reply) => {
    const b = request.body;
    const { webhook, secret } = await createWebhook(deps, actorOf(request), { url: b.url, eventTypes: b.event_types, secret: b.secret, description: b.description, isActive: b.is_active });
    return reply.status(201).send({ ...webhookRecord(webhook), secret });
  });

  app.get('/webhooks/:id', { schema: { ...adminDoc('admin_webhooks_retrieve', 'A webhook endpoint', { 200: WebhookView }), params: IdParams } },
    async (request) => webhookRecord(await getWebhook(deps, actorOf(request), request.params.id)));

  app.patch('/webhooks/:id', {
    schema: { ...adminDoc('admin_webhooks_update', 'Change an endpoint (a new secret replaces the old at once)', { 200: WebhookView }), params: IdParams, body: WebhookPatch },
  }, async (request) => {
    const b = request.body;
    return webhookRecord(await changeWebhook(deps, actorOf(request), request.params.id, { url: b.url, eventTypes: b.event_types, secret: b.secret, description: b.description, isActive: b.is_active }));
  });

  app.delete('/webhooks/:id', { schema: { ...adminDoc('admin_webhooks_delete', 'Remove an endpoint and its delivery log', { 204: NoContent }), params: IdParams } },
    async (request, reply) => { await deleteWebhook(deps, actorOf(request), request.params.id); return reply.status(204).send(null); });

  app.get('/webhooks/:id/deliveries', {
    schema: { ...adminDoc('admin_webhooks_deliveries', 'The endpoint\'s deliveries, newest first', { 200: DeliveryList }), params: IdParams, querystring: DeliveryQuery },
  }, async (request) => ({ items: await listDeliveries(deps, actorOf(request), request.params.id, { before: request.query.before, limit: request.query.limit ?? 50 }) }));

  app.post('/webhooks/:id/deliveries/:deliveryId/retry', {
    schema: { ...adminDoc('admin_webhooks_delivery_retry', 'Send a dead delivery again (a fresh count of tries)', { 200: DeliveryView, 409: { description: '`JOB_NOT_DEAD`', $ref: 'AdminError' } }), params: DeliveryParams },
  }, async (request) => retryDelivery(deps, actorOf(request), request.params.id, request.params.deliveryId));
}
