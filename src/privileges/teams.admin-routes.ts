// /api/admin/teams: teams, their members and the roles every member gets.
import { Type } from 'typebox';
import {
  adminsInTeams, changeTeamMembershipAs, createNamedTeam, deleteTeam, getRole, getTeam, grantRoleToTeam, listRolesOfTeam, listTeamMembers,
  listTeamsPage, renameTeam, revokeRoleFromTeam,
} from './index.ts';
import { actorOf, adminDoc, type AdminApp, type AdminDeps, IdParams, MemberParams, NoContent, RoleRef, UserRef, listQuerySchema, toPageRequest, pageView } from '../admin/index.ts';
import { NameInput, TeamDetail, TeamPage, TeamView, teamView } from './privileges.admin-schemas.ts';
import { assertMay, audited, type Actor } from '../access/index.ts';

const RoleParams = Type.Object({ id: IdParams.properties.id, roleId: IdParams.properties.id });
const taken = { 409: { description: '`NAME_TAKEN`', $ref: 'AdminError' } };

export async function teamsAdminRoutes(app: AdminApp, deps: AdminDeps): Promise<void> {
  const assertMayChangeTeam = async (actor: Actor, teamId: number) => assertMay(actor, 'privileges.change', { affected: await adminsInTeams(deps, [teamId]) });
  const detail = async (id: number) => {
    const team = await getTeam(deps, id);
    return { ...teamView(team), members: await listTeamMembers(deps, id), roles: await listRolesOfTeam(deps, id) };
  };

  app.get('/teams', {
    schema: { ...adminDoc('admin_teams_list', 'Teams: search and sort by name', { 200: TeamPage }), querystring: listQuerySchema(['id', 'name', 'created_at']) },
  }, async (request) => pageView(await listTeamsPage(deps, toPageRequest(request.query)), teamView));

  app.post('/teams', {
    schema: { ...adminDoc('admin_teams_create', 'Create a team', { 201: TeamView, ...taken }), body: NameInput },
  }, async (request, reply) => {
    const team = await audited(deps.db, actorOf(request), async (tx) => {
      const created = await createNamedTeam({ db: tx }, request.body.name.trim());
      return { action: 'team.create', entityType: 'team', entityId: created.id, after: teamView(created), result: created };
    });
    return reply.status(201).send(teamView(team));
  });

  app.get('/teams/:id', {
    schema: { ...adminDoc('admin_teams_retrieve', 'A team with its members and roles', { 200: TeamDetail }), params: IdParams },
  }, async (request) => detail(request.params.id));

  app.patch('/teams/:id', {
    schema: { ...adminDoc('admin_teams_update', 'Rename a team', { 200: TeamView, ...taken }), params: IdParams, body: NameInput },
  }, async (request) => {
    const before = await getTeam(deps, request.params.id);
    await assertMayChangeTeam(actorOf(request), before.id);
    const team = await audited(deps.db, actorOf(request), async (tx) => {
      const renamed = await renameTeam({ db: tx }, before.id, request.body.name.trim());
      return { action: 'team.update', entityType: 'team', entityId: before.id, before: teamView(before), after: teamView(renamed), result: renamed };
    });
    return teamView(team);
  });

  app.delete('/teams/:id', {
    schema: { ...adminDoc('admin_teams_destroy', 'Delete a team (its memberships and role grants go with it)', { 204: NoContent }), params: IdParams },
  }, async (request, reply) => {
    const before = await getTeam(deps, request.params.id);
    await assertMayChangeTeam(actorOf(request), before.id);
    await audited(deps.db, actorOf(request), async (tx) => {
      await deleteTeam({ db: tx }, before.id);
      return { action: 'team.delete', entityType: 'team', entityId: before.id, before: teamView(before), result: undefined };
    });
    return reply.status(204).send(null);
  });

  app.post('/teams/:id/members', {
    schema: { ...adminDoc('admin_teams_add_member', 'Add a user to the team', { 201: TeamDetail }), params: IdParams, body: UserRef },
  }, async (request, reply) => {
    const team = await getTeam(deps, request.params.id);
    await changeTeamMembershipAs(deps, actorOf(request), request.body.user_id, team.id, 'add');
    return reply.status(201).send(await detail(team.id));
  });

  app.delete('/teams/:id/members/:userId', {
    schema: { ...adminDoc('admin_teams_remove_member', 'Remove a user from the team', { 200: TeamDetail }), params: MemberParams },
  }, async (request) => {
    const team = await getTeam(deps, request.params.id);
    await changeTeamMembershipAs(deps, actorOf(request), request.params.userId, team.id, 'remove');
    return detail(team.id);
  });

  app.post('/teams/:id/roles', {
    schema: { ...adminDoc('admin_teams_add_role', 'Grant a role to every member of the team', { 201: TeamDetail }), params: IdParams, body: RoleRef },
  }, async (request, reply) => {
    const team = await getTeam(deps, request.params.id);
    const role = await getRole(deps, request.body.role_id);
    await assertMayChangeTeam(actorOf(request), team.id);
    await audited(deps.db, actorOf(request), async (tx) => {
      await grantRoleToTeam({ db: tx }, role.id, team.id);
      return { action: 'team.role.add', entityType: 'team', entityId: team.id, after: { roleId: role.id, role: role.name }, result: undefined };
    });
    return reply.status(201).send(await detail(team.id));
  });

  app.delete('/teams/:id/roles/:roleId', {
    schema: { ...adminDoc('admin_teams_remove_role', 'Take a role from the team', { 200: TeamDetail }), params: RoleParams },
  }, async (request) => {
    const team = await getTeam(deps, request.params.id);
    const role = await getRole(deps, request.params.roleId);
    await assertMayChangeTeam(actorOf(request), team.id);
    await audited(deps.db, actorOf(request), async (tx) => {
      await revokeRoleFromTeam({ db: tx }, role.id, team.id);
      return { action: 'team.role.remove', entityType: 'team', entityId: team.id, before: { roleId: role.id, role: role.name }, result: undefined };
    });
    return detail(team.id);
  });
}
