// /api/admin/api-keys: every user's keys, filtered by revoked, scope and expiry (the original
// admin's list filters), issued with the value shown once, and revoked in bulk.
import { Type } from 'typebox';
import { changeApiKey, daysFromNow, getApiKey, issueApiKey, listApiKeysPage, removeApiKey, revokeApiKeys } from './index.ts';
import { actorOf, adminDoc, type AdminApp, type AdminDeps, IdParams, NoContent, QueryBool, listQuerySchema, toPageRequest, pageView } from '../admin/index.ts';
import { ApiKeyCreate, ApiKeyCreated, ApiKeyPage, ApiKeyUpdate, ApiKeyView, BulkRevoke, BulkRevoked, apiKeyView } from './api-keys.admin-schemas.ts';

const DEFAULT_EXPIRY_DAYS = 30;

export async function apiKeysAdminRoutes(app: AdminApp, deps: AdminDeps): Promise<void> {
  app.get('/api-keys', {
    schema: {
      ...adminDoc('admin_api_keys_list', 'API keys: search by whole key or owner e-mail; filter revoked, scope, expired', { 200: ApiKeyPage }),
      querystring: listQuerySchema(['user', 'expiry', 'created_at', 'scope'], {
        revoked: QueryBool,
        scope: Type.Optional(Type.String({ enum: ['resource', 'management'] })),
        expired: Type.Optional(Type.Boolean({ description: '`true`: expiry before now; `false`: expiry now or later.' })),
        user_id: Type.Optional(IdParams.properties.id),
      }),
    },
  }, async (request) => {
    const q = request.query;
    const page = await listApiKeysPage(deps, toPageRequest(q), { revoked: q.revoked, scope: q.scope, expired: q.expired, userId: q.user_id });
    return pageView(page, apiKeyView);
  });

  app.post('/api-keys', {
    schema: { ...adminDoc('admin_api_keys_create', 'Issue a key to a user; the value is in this answer only', { 201: ApiKeyCreated }), body: ApiKeyCreate },
  }, async (request, reply) => {
    const b = request.body;
    const expiry = b.expiry ? new Date(b.expiry) : daysFromNow(DEFAULT_EXPIRY_DAYS);
    const { view, key } = await issueApiKey(deps, actorOf(request), { userId: b.user_id, scope: b.scope as 'resource' | 'management', expiry, revoked: b.revoked, value: b.key });
    const created = { ...apiKeyView(view), key };
    return reply.status(201).send(created);
  });

  app.get('/api-keys/:id', {
    schema: { ...adminDoc('admin_api_keys_retrieve', 'A key (its value is not shown again)', { 200: ApiKeyView }), params: IdParams },
  }, async (request) => apiKeyView(await getApiKey(deps, request.params.id)));

  app.patch('/api-keys/:id', {
    schema: { ...adminDoc('admin_api_keys_update', 'Revoke, un-revoke or move the expiry of a key', { 200: ApiKeyView }), params: IdParams, body: ApiKeyUpdate },
  }, async (request) => {
    const { revoked, expiry } = request.body;
    return apiKeyView(await changeApiKey(deps, actorOf(request), request.params.id, { revoked, expiry: expiry === undefined ? undefined : new Date(expiry) }));
  });

  app.post('/api-keys/revoke', {
    schema: { ...adminDoc('admin_api_keys_bulk_revoke', 'Revoke the selected keys', { 200: BulkRevoked }), body: BulkRevoke },
  }, async (request) => {
    const ids = request.body.ids;
    await revokeApiKeys(deps, actorOf(request), ids);
    return { revoked: ids };
  });

  app.delete('/api-keys/:id', {
    schema: { ...adminDoc('admin_api_keys_destroy', 'Delete a key', { 204: NoContent }), params: IdParams },
  }, async (request, reply) => {
    await removeApiKey(deps, actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });
}
