// /api/admin/roles: roles and who holds them (users directly, teams for their members).
import { adminsHoldingRole, createNamedRole, deleteRole, getRole, listRoleHolders, listRolesPage, renameRole } from './index.ts';
import { actorOf, adminDoc, type AdminApp, type AdminDeps, IdParams, NoContent, listQuerySchema, toPageRequest, pageView } from '../admin/index.ts';
import { NameInput, RoleDetail, RolePage, RoleView, roleView } from './privileges.admin-schemas.ts';
import { assertMay, audited } from '../access/index.ts';

const taken = { 409: { description: '`NAME_TAKEN`', $ref: 'AdminError' } };

export async function rolesAdminRoutes(app: AdminApp, deps: AdminDeps): Promise<void> {
  app.get('/roles', {
    schema: { ...adminDoc('admin_roles_list', 'Roles: search and sort by name', { 200: RolePage }), querystring: listQuerySchema(['id', 'name', 'created_at']) },
  }, async (request) => pageView(await listRolesPage(deps, toPageRequest(request.query)), roleView));

  app.post('/roles', {
    schema: { ...adminDoc('admin_roles_create', 'Create a role', { 201: RoleView, ...taken }), body: NameInput },
  }, async (request, reply) => {
    const role = await audited(deps.db, actorOf(request), async (tx) => {
      const created = await createNamedRole({ db: tx }, request.body.name.trim());
      return { action: 'role.create', entityType: 'role', entityId: created.id, after: roleView(created), result: created };
    });
    return reply.status(201).send(roleView(role));
  });

  app.get('/roles/:id', {
    schema: { ...adminDoc('admin_roles_retrieve', 'A role with the users and teams holding it', { 200: RoleDetail }), params: IdParams },
  }, async (request) => {
    const role = await getRole(deps, request.params.id);
    const holders = await listRoleHolders(deps, role.id);
    return { ...roleView(role), user_ids: holders.userIds, team_ids: holders.teamIds };
  });

  app.patch('/roles/:id', {
    schema: { ...adminDoc('admin_roles_update', 'Rename a role', { 200: RoleView, ...taken }), params: IdParams, body: NameInput },
  }, async (request) => {
    const before = await getRole(deps, request.params.id);
    assertMay(actorOf(request), 'privileges.change', { affected: await adminsHoldingRole(deps, before.id) });
    const role = await audited(deps.db, actorOf(request), async (tx) => {
      const renamed = await renameRole({ db: tx }, before.id, request.body.name.trim());
      return { action: 'role.update', entityType: 'role', entityId: before.id, before: roleView(before), after: roleView(renamed), result: renamed };
    });
    return roleView(role);
  });

  app.delete('/roles/:id', {
    schema: { ...adminDoc('admin_roles_destroy', 'Delete a role (its grants and access rules go with it)', { 204: NoContent }), params: IdParams },
  }, async (request, reply) => {
    const before = await getRole(deps, request.params.id);
    assertMay(actorOf(request), 'privileges.change', { affected: await adminsHoldingRole(deps, before.id) });
    await audited(deps.db, actorOf(request), async (tx) => {
      await deleteRole({ db: tx }, before.id);
      return { action: 'role.delete', entityType: 'role', entityId: before.id, before: roleView(before), result: undefined };
    });
    return reply.status(204).send(null);
  });
}
