// /api/admin/resources and /api/admin/access-rules: protected things and the rules opening them to a role.
import { createAccessRule, createResource, deleteAccessRule, deleteResource, getAccessRule, getResource, listAccessRulesPage, listResourcesPage, updateAccessRule, updateResource } from './index.ts';
import { getRole } from '../privileges/index.ts';
import { Type } from 'typebox';
import { actorOf, adminDoc, type AdminApp, type AdminDeps, IdParams, NoContent, QueryBool, listQuerySchema, toPageRequest, pageView } from '../admin/index.ts';
import { AccessRuleCreate, AccessRulePage, AccessRuleUpdate, AccessRuleView, ResourceInput, ResourcePage, ResourceView, accessRuleView, resourceView } from './resources.admin-schemas.ts';
import { audited } from '../access/index.ts';

const QueryId = Type.Optional(IdParams.properties.id);
const blank = (s: string | null | undefined) => (s?.trim() ? s.trim() : null);

export async function resourcesAdminRoutes(app: AdminApp, deps: AdminDeps): Promise<void> {
  app.get('/resources', {
    schema: { ...adminDoc('admin_resources_list', 'Resources: search by slug, description or URL', { 200: ResourcePage }), querystring: listQuerySchema(['id', 'slug', 'created_at']) },
  }, async (request) => pageView(await listResourcesPage(deps, toPageRequest(request.query)), resourceView));

  app.post('/resources', {
    schema: { ...adminDoc('admin_resources_create', 'Create a resource', { 201: ResourceView }), body: ResourceInput },
  }, async (request, reply) => {
    const b = request.body;
    const resource = await audited(deps.db, actorOf(request), async (tx) => {
      const created = await createResource({ db: tx }, { slug: b.slug, url: blank(b.url), description: blank(b.description), type: blank(b.type) });
      return { action: 'resource.create', entityType: 'resource', entityId: created.id, after: resourceView(created), result: created };
    });
    return reply.status(201).send(resourceView(resource));
  });

  app.get('/resources/:id', {
    schema: { ...adminDoc('admin_resources_retrieve', 'A resource', { 200: ResourceView }), params: IdParams },
  }, async (request) => resourceView(await getResource(deps, request.params.id)));

  app.put('/resources/:id', {
    schema: { ...adminDoc('admin_resources_update', 'Replace a resource', { 200: ResourceView }), params: IdParams, body: ResourceInput },
  }, async (request) => {
    const b = request.body;
    const before = await getResource(deps, request.params.id);
    const resource = await audited(deps.db, actorOf(request), async (tx) => {
      const updated = await updateResource({ db: tx }, before.id, { slug: b.slug, url: blank(b.url), description: blank(b.description), type: blank(b.type) });
      return { action: 'resource.update', entityType: 'resource', entityId: before.id, before: resourceView(before), after: resourceView(updated), result: updated };
    });
    return resourceView(resource);
  });

  app.delete('/resources/:id', {
    schema: { ...adminDoc('admin_resources_destroy', 'Delete a resource and its access rules', { 204: NoContent }), params: IdParams },
  }, async (request, reply) => {
    const before = await getResource(deps, request.params.id);
    await audited(deps.db, actorOf(request), async (tx) => {
      await deleteResource({ db: tx }, before.id);
      return { action: 'resource.delete', entityType: 'resource', entityId: before.id, before: resourceView(before), result: undefined };
    });
    return reply.status(204).send(null);
  });

  // Access rules

  app.get('/access-rules', {
    schema: {
      ...adminDoc('admin_access_rules_list', 'Access rules, filtered by resource, role or active', { 200: AccessRulePage }),
      querystring: listQuerySchema(['id', 'created_at'], { resource_id: QueryId, role_id: QueryId, active: QueryBool }),
    },
  }, async (request) => {
    const q = request.query;
    return pageView(await listAccessRulesPage(deps, toPageRequest(q), { resourceId: q.resource_id, roleId: q.role_id, active: q.active }), accessRuleView);
  });

  app.post('/access-rules', {
    schema: { ...adminDoc('admin_access_rules_create', 'Open a resource to a role (only an active rule counts)', { 201: AccessRuleView }), body: AccessRuleCreate },
  }, async (request, reply) => {
    const b = request.body;
    await getResource(deps, b.resource_id);
    await getRole(deps, b.role_id);
    const rule = await audited(deps.db, actorOf(request), async (tx) => {
      const created = await createAccessRule({ db: tx }, { resourceId: b.resource_id, roleId: b.role_id, active: b.active ?? false });
      return { action: 'access-rule.create', entityType: 'access-rule', entityId: created.id, after: accessRuleView(created), result: created };
    });
    return reply.status(201).send(accessRuleView(rule));
  });

  app.get('/access-rules/:id', {
    schema: { ...adminDoc('admin_access_rules_retrieve', 'An access rule', { 200: AccessRuleView }), params: IdParams },
  }, async (request) => accessRuleView(await getAccessRule(deps, request.params.id)));

  app.patch('/access-rules/:id', {
    schema: { ...adminDoc('admin_access_rules_update', 'Change an access rule (activate, deactivate, re-point)', { 200: AccessRuleView }), params: IdParams, body: AccessRuleUpdate },
  }, async (request) => {
    const b = request.body;
    const before = await getAccessRule(deps, request.params.id);
    if (b.resource_id !== undefined) await getResource(deps, b.resource_id);
    if (b.role_id !== undefined) await getRole(deps, b.role_id);
    const rule = await audited(deps.db, actorOf(request), async (tx) => {
      const updated = await updateAccessRule({ db: tx }, before.id, { resourceId: b.resource_id, roleId: b.role_id, active: b.active });
      return { action: 'access-rule.update', entityType: 'access-rule', entityId: before.id, before: accessRuleView(before), after: accessRuleView(updated), result: updated };
    });
    return accessRuleView(rule);
  });

  app.delete('/access-rules/:id', {
    schema: { ...adminDoc('admin_access_rules_destroy', 'Delete an access rule', { 204: NoContent }), params: IdParams },
  }, async (request, reply) => {
    const before = await getAccessRule(deps, request.params.id);
    await audited(deps.db, actorOf(request), async (tx) => {
      await deleteAccessRule({ db: tx }, before.id);
      return { action: 'access-rule.delete', entityType: 'access-rule', entityId: before.id, before: accessRuleView(before), result: undefined };
    });
    return reply.status(204).send(null);
  });
}
