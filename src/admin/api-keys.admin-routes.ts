// /api/admin/api-keys: every user's keys, filtered by revoked, scope and expiry (the original
// admin's list filters), issued with the value shown once, and revoked in bulk.
import { Type } from 'typebox';
import { createApiKey, daysFromNow, deleteApiKey, getApiKey, listApiKeysPage, revokeKeys, setKeyExpiry, setKeyRevoked } from '../api-keys/index.ts';
import { getUser } from '../users/index.ts';
import { actorOf } from './admin.guard.ts';
import { adminDoc } from './admin.docs.ts';
import type { AdminApp, AdminDeps } from './admin.routes.ts';
import { ApiKeyCreate, ApiKeyCreated, ApiKeyPage, ApiKeyUpdate, ApiKeyView, BulkRevoke, BulkRevoked, IdParams, NoContent, QueryBool } from './admin.schemas.ts';
import { withAudit } from './audit.service.ts';
import { listQuerySchema, toPageRequest } from './list-query.ts';
import { apiKeyView, pageView } from './views.ts';

const DEFAULT_EXPIRY_DAYS = 30;

export async function apiKeysAdminRoutes(app: AdminApp, deps: AdminDeps): Promise<void> {
  app.get('/api-keys', {
    schema: {
      ...adminDoc('admin_api_keys_list', 'API keys: search by whole key or owner e-mail; filter revoked, scope, expired', { 200: ApiKeyPage }),
      querystring: listQuerySchema(['user', 'expiry', 'created_at', 'scope'], {
        revoked: QueryBool,
        scope: Type.Optional(Type.String({ enum: ['resource', 'management'] })),
        expired: Type.Optional(Type.Boolean({ description: '`true`: expiry before now; `false`: expiry now or later.' })),
        user_id: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
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
    const user = await getUser(deps, b.user_id);
    const expiry = b.expiry ? new Date(b.expiry) : daysFromNow(DEFAULT_EXPIRY_DAYS);
    const created = await withAudit(deps.db, actorOf(request), async (tx) => {
      const key = await createApiKey({ db: tx, keys: deps.keys }, { userId: user.id, scope: b.scope as 'resource' | 'management', expiry, revoked: b.revoked, value: b.key });
      const view = apiKeyView(await getApiKey({ db: tx, keys: deps.keys }, key.id));
      return { action: 'api-key.create', entityType: 'api-key', entityId: key.id, after: view, result: { ...view, key: key.key } };
    });
    return reply.status(201).send(created);
  });

  app.get('/api-keys/:id', {
    schema: { ...adminDoc('admin_api_keys_retrieve', 'A key (its value is not shown again)', { 200: ApiKeyView }), params: IdParams },
  }, async (request) => apiKeyView(await getApiKey(deps, request.params.id)));

  app.patch('/api-keys/:id', {
    schema: { ...adminDoc('admin_api_keys_update', 'Revoke, un-revoke or move the expiry of a key', { 200: ApiKeyView }), params: IdParams, body: ApiKeyUpdate },
  }, async (request) => {
    const before = await getApiKey(deps, request.params.id);
    return withAudit(deps.db, actorOf(request), async (tx) => {
      const txDeps = { db: tx, keys: deps.keys };
      if (request.body.revoked !== undefined) await setKeyRevoked(txDeps, before.id, request.body.revoked);
      if (request.body.expiry !== undefined) await setKeyExpiry(txDeps, before.id, new Date(request.body.expiry));
      const after = apiKeyView(await getApiKey(txDeps, before.id));
      return { action: 'api-key.update', entityType: 'api-key', entityId: before.id, before: apiKeyView(before), after, result: after };
    });
  });

  app.post('/api-keys/revoke', {
    schema: { ...adminDoc('admin_api_keys_bulk_revoke', 'Revoke the selected keys', { 200: BulkRevoked }), body: BulkRevoke },
  }, async (request) => {
    const ids = request.body.ids;
    // Unknown ids are refused before anything is written.
    for (const id of ids) await getApiKey(deps, id);
    await withAudit(deps.db, actorOf(request), async (tx) => {
      await revokeKeys({ db: tx, keys: deps.keys }, ids);
      return { action: 'api-key.bulk-revoke', entityType: 'api-key', entityId: null, after: { ids }, result: undefined };
    });
    return { revoked: ids };
  });

  app.delete('/api-keys/:id', {
    schema: { ...adminDoc('admin_api_keys_destroy', 'Delete a key', { 204: NoContent }), params: IdParams },
  }, async (request, reply) => {
    const before = await getApiKey(deps, request.params.id);
    await withAudit(deps.db, actorOf(request), async (tx) => {
      await deleteApiKey({ db: tx, keys: deps.keys }, before.id);
      return { action: 'api-key.delete', entityType: 'api-key', entityId: before.id, before: apiKeyView(before), result: undefined };
    });
    return reply.status(204).send(null);
  });
}
