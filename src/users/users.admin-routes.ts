// /api/admin/users: find, create, edit, (de)activate, set or reset passwords, confirm e-mail,
// and the user's team and role memberships. Other administrators are a superuser's business.
import { Type } from 'typebox';
import { mailPasswordResetLink } from '../accounts/index.ts';
import { changeTeamMembershipAs, changeUserRoleAs, listDirectRolesOfUser, listTeamsOfUser } from '../privileges/index.ts';
import {
  USER_SORT_FIELDS, changeUserAs, confirmEmailAs, createUserAs, deleteUserAs, getUser, listUsers, lockStateOfUser, resetPasswordAs, setPasswordAs, unlockUserAs,
  type UserChange,
} from './index.ts';
import { actorOf, adminDoc, type AdminApp, type AdminDeps, IdParams, NoContent, QueryBool, RoleRef, TeamRef, UserRoleParams, UserTeamParams, listQuerySchema, toPageRequest, pageView } from '../admin/index.ts';
import { PasswordBody, UnlockResult, UserCreate, UserDetail, UserPage, UserUpdate, UserView, userView } from './users.admin-schemas.ts';

const Membership = Type.Object({ teams: UserDetail.properties.teams, roles: UserDetail.properties.roles });

function toChange(body: { email?: string; first_name?: string; last_name?: string; is_active?: boolean; is_staff?: boolean; is_superuser?: boolean; email_confirmed?: boolean }): UserChange {
  const change: UserChange = {
    email: body.email, firstName: body.first_name, lastName: body.last_name, isActive: body.is_active,
    isStaff: body.is_staff, isSuperuser: body.is_superuser, emailConfirmed: body.email_confirmed,
  };
  return Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) as UserChange;
}

export async function usersAdminRoutes(app: AdminApp, deps: AdminDeps): Promise<void> {
  app.get('/users', {
    schema: {
      ...adminDoc('admin_users_list', 'Users: search by e-mail or name, filter by flags', { 200: UserPage }),
      querystring: listQuerySchema(USER_SORT_FIELDS, { is_active: QueryBool, is_staff: QueryBool, is_superuser: QueryBool, email_confirmed: QueryBool }),
    },
  }, async (request) => {
    const q = request.query;
    const page = await listUsers(deps, toPageRequest(q), { isActive: q.is_active, isStaff: q.is_staff, isSuperuser: q.is_superuser, emailConfirmed: q.email_confirmed });
    return pageView(page, userView);
  });

  app.post('/users', {
    schema: { ...adminDoc('admin_users_create', 'Create a user', { 201: UserView, 409: { description: '`EMAIL_TAKEN`', $ref: 'AdminError' } }), body: UserCreate },
  }, async (request, reply) => {
    const body = request.body;
    const user = await createUserAs(deps, actorOf(request), {
      email: body.email, password: body.password, firstName: body.first_name, lastName: body.last_name, isActive: body.is_active,
      isStaff: body.is_staff, isSuperuser: body.is_superuser, emailConfirmed: body.email_confirmed,
    });
    return reply.status(201).send(userView(user));
  });

  app.get('/users/:id', {
    schema: { ...adminDoc('admin_users_retrieve', 'A user with their teams and directly held roles', { 200: UserDetail }), params: IdParams },
  }, async (request) => {
    const user = await getUser(deps, request.params.id);
    const lock = await lockStateOfUser(deps, user);
    return {
      ...userView(user), teams: await listTeamsOfUser(deps, user.id), roles: await listDirectRolesOfUser(deps, user.id),
      locked_until: lock.lockedUntil?.toISOString() ?? null,
    };
  });

  app.post('/users/:id/unlock', {
    schema: { ...adminDoc('admin_users_unlock', 'Lift the user\'s brute-force lock-out (every IP) and forget their failed password attempts', { 200: UnlockResult }), params: IdParams },
  }, async (request) => {
    const before = await unlockUserAs(deps, actorOf(request), request.params.id);
    return { was_locked_until: before.lockedUntil?.toISOString() ?? null };
  });

  app.patch('/users/:id', {
    schema: { ...adminDoc('admin_users_update', 'Change a user\'s profile or flags', { 200: UserView }), params: IdParams, body: UserUpdate },
  }, async (request) => {
    const after = await changeUserAs(deps, actorOf(request), request.params.id, toChange(request.body));
    return userView(after);
  });

  app.delete('/users/:id', {
    schema: { ...adminDoc('admin_users_destroy', 'Delete a user (with their keys, sessions and memberships)', { 204: NoContent }), params: IdParams },
  }, async (request, reply) => {
    await deleteUserAs(deps, actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  for (const [path, isActive] of [['activate', true], ['deactivate', false]] as const) {
    app.post(`/users/:id/${path}`, {
      schema: { ...adminDoc(`admin_users_${path}`, isActive ? 'Activate a user' : 'Deactivate a user and end their sessions', { 200: UserView }), params: IdParams },
    }, async (request) => {
      const after = await changeUserAs(deps, actorOf(request), request.params.id, { isActive }, `user.${path}`);
      return userView(after);
    });
  }

  app.post('/users/:id/confirm-email', {
    schema: { ...adminDoc('admin_users_confirm_email', 'Mark the user\'s e-mail address confirmed', { 200: UserView }), params: IdParams },
  }, async (request) => {
    const after = await confirmEmailAs(deps, actorOf(request), request.params.id);
    return userView(after);
  });

  app.put('/users/:id/password', {
    schema: { ...adminDoc('admin_users_set_password', 'Set the user\'s password (checked by the password rules)', { 204: NoContent }), params: IdParams, body: PasswordBody },
  }, async (request, reply) => {
    await setPasswordAs(deps, actorOf(request), request.params.id, request.body.password);
    return reply.status(204).send(null);
  });

  app.post('/users/:id/password-reset', {
    schema: {
      ...adminDoc('admin_users_reset_password', 'Reset: e-mail the user a link to choose a new password; the current one keeps working until the link is used, unless end_password=true (force a new password: the current one and the sessions end now)', { 204: NoContent }),
      params: IdParams,
      querystring: Type.Object({ end_password: QueryBool }),
    },
  }, async (request, reply) => {
    const endPassword = request.query.end_password === true;
    await resetPasswordAs(deps, actorOf(request), request.params.id, (tx, user) => mailPasswordResetLink({ ...deps, db: tx }, user, actorOf(request).label), { endPassword });
    return reply.status(204).send(null);
  });

  // Memberships

  const membership = async (userId: number) => ({ teams: await listTeamsOfUser(deps, userId), roles: await listDirectRolesOfUser(deps, userId) });

  app.post('/users/:id/teams', {
    schema: { ...adminDoc('admin_users_add_team', 'Add the user to a team', { 201: Membership }), params: IdParams, body: TeamRef },
  }, async (request, reply) => {
    await changeTeamMembershipAs(deps, actorOf(request), request.params.id, request.body.team_id, 'add');
    return reply.status(201).send(await membership(request.params.id));
  });

  app.delete('/users/:id/teams/:teamId', {
    schema: { ...adminDoc('admin_users_remove_team', 'Remove the user from a team', { 200: Membership }), params: UserTeamParams },
  }, async (request) => {
    await changeTeamMembershipAs(deps, actorOf(request), request.params.id, request.params.teamId, 'remove');
    return membership(request.params.id);
  });

  app.post('/users/:id/roles', {
    schema: { ...adminDoc('admin_users_add_role', 'Grant the user a role directly', { 201: Membership }), params: IdParams, body: RoleRef },
  }, async (request, reply) => {
    await changeUserRoleAs(deps, actorOf(request), request.params.id, request.body.role_id, 'add');
    return reply.status(201).send(await membership(request.params.id));
  });

  app.delete('/users/:id/roles/:roleId', {
    schema: { ...adminDoc('admin_users_remove_role', 'Take a directly held role from the user', { 200: Membership }), params: UserRoleParams },
  }, async (request) => {
    await changeUserRoleAs(deps, actorOf(request), request.params.id, request.params.roleId, 'remove');
    return membership(request.params.id);
  });
}
