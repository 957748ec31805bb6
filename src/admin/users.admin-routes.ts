// /api/admin/users: find, create, edit, (de)activate, set or reset passwords, confirm e-mail,
// and the user's team and role memberships. Other administrators are a superuser's business.
import { Type } from 'typebox';
import { AppError } from '../errors.ts';
import { mailPasswordResetLink } from '../accounts/password-reset.service.ts';
import {
  addTeamMember, getRole, getTeam, grantRoleToUser, listDirectRolesOfUser, listTeamsOfUser, removeTeamMember, revokeRoleFromUser,
} from '../teams/index.ts';
import {
  USER_SORT_FIELDS, assertKeepsASuperuser, createUser, deleteSessionsOfUser, deleteUser, getUser, passwordProblems, setPassword, setPasswordHash, updateUser,
  type UserChange,
} from '../users/index.ts';
import type { Db } from '../db/client.ts';
import { actorOf } from './admin.guard.ts';
import { adminDoc } from './admin.docs.ts';
import type { AdminApp, AdminDeps } from './admin.routes.ts';
import {
  IdParams, NoContent, PasswordBody, QueryBool, RoleRef, TeamRef, UserCreate, UserDetail, UserPage, UserRoleParams, UserTeamParams,
  UserUpdate, UserView,
} from './admin.schemas.ts';
import { assertMay, audited } from '../access/index.ts';
import { listQuerySchema, toPageRequest } from './list-query.ts';
import { pageView, userView } from './views.ts';
import { listUsers } from '../users/index.ts';

const Membership = Type.Object({ teams: UserDetail.properties.teams, roles: UserDetail.properties.roles });

function toChange(body: { email?: string; first_name?: string; last_name?: string; is_active?: boolean; is_staff?: boolean; is_superuser?: boolean; email_confirmed?: boolean }): UserChange {
  const change: UserChange = {
    email: body.email, firstName: body.first_name, lastName: body.last_name, isActive: body.is_active,
    isStaff: body.is_staff, isSuperuser: body.is_superuser, emailConfirmed: body.email_confirmed,
  };
  return Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) as UserChange;
}

function checkPassword(deps: AdminDeps, password: string, owner: { email?: string; firstName?: string; lastName?: string }): void {
  const problems = passwordProblems(deps.config.DJAM_PROJECT_ENVIRONMENT, password, owner);
  if (problems.length) throw new AppError('VALIDATION_FAILED', { details: { fields: { password: problems.join(' ') } } });
}

export async function usersAdminRoutes(app: AdminApp, deps: AdminDeps): Promise<void> {
  const withTx = (tx: Db) => ({ ...deps, db: tx });

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
    const actor = actorOf(request);
    assertMay(actor, 'user.create', { isStaff: body.is_staff ?? false, isSuperuser: body.is_superuser ?? false });
    if (body.password) checkPassword(deps, body.password, { email: body.email, firstName: body.first_name, lastName: body.last_name });
    const user = await audited(deps.db, actor, async (tx) => {
      const created = await createUser({ db: tx }, {
        email: body.email, password: body.password, firstName: body.first_name, lastName: body.last_name, isActive: body.is_active,
        isStaff: body.is_staff, isSuperuser: body.is_superuser, emailConfirmed: body.email_confirmed,
      });
      return { action: 'user.create', entityType: 'user', entityId: created.id, after: userView(created), result: created };
    });
    return reply.status(201).send(userView(user));
  });

  app.get('/users/:id', {
    schema: { ...adminDoc('admin_users_retrieve', 'A user with their teams and directly held roles', { 200: UserDetail }), params: IdParams },
  }, async (request) => {
    const user = await getUser(deps, request.params.id);
    return { ...userView(user), teams: await listTeamsOfUser(deps, user.id), roles: await listDirectRolesOfUser(deps, user.id) };
  });

  app.patch('/users/:id', {
    schema: { ...adminDoc('admin_users_update', 'Change a user\'s profile or flags', { 200: UserView }), params: IdParams, body: UserUpdate },
  }, async (request) => {
    const actor = actorOf(request);
    const before = await getUser(deps, request.params.id);
    const change = toChange(request.body);
    assertMay(actor, 'user.update', { user: before, ...change });
    await assertKeepsASuperuser(deps, before, change);
    const after = await audited(deps.db, actor, async (tx) => {
      const user = await updateUser({ db: tx }, before.id, change);
      if (change.isActive === false) await deleteSessionsOfUser(withTx(tx), user.id);
      return { action: 'user.update', entityType: 'user', entityId: user.id, before: userView(before), after: userView(user), result: user };
    });
    return userView(after);
  });

  app.delete('/users/:id', {
    schema: { ...adminDoc('admin_users_destroy', 'Delete a user (with their keys, sessions and memberships)', { 204: NoContent }), params: IdParams },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const before = await getUser(deps, request.params.id);
    assertMay(actor, 'user.delete', before);
    await assertKeepsASuperuser(deps, before, { isSuperuser: false });
    await audited(deps.db, actor, async (tx) => {
      await deleteUser({ db: tx }, before.id);
      return { action: 'user.delete', entityType: 'user', entityId: before.id, before: userView(before), result: undefined };
    });
    return reply.status(204).send(null);
  });

  for (const [path, isActive] of [['activate', true], ['deactivate', false]] as const) {
    app.post(`/users/:id/${path}`, {
      schema: { ...adminDoc(`admin_users_${path}`, isActive ? 'Activate a user' : 'Deactivate a user and end their sessions', { 200: UserView }), params: IdParams },
    }, async (request) => {
      const actor = actorOf(request);
      const before = await getUser(deps, request.params.id);
      assertMay(actor, 'user.update', { user: before, isActive });
      await assertKeepsASuperuser(deps, before, { isActive });
      const after = await audited(deps.db, actor, async (tx) => {
        const user = await updateUser({ db: tx }, before.id, { isActive });
        if (!isActive) await deleteSessionsOfUser(withTx(tx), user.id);
        return { action: `user.${path}`, entityType: 'user', entityId: user.id, before: userView(before), after: userView(user), result: user };
      });
      return userView(after);
    });
  }

  app.post('/users/:id/confirm-email', {
    schema: { ...adminDoc('admin_users_confirm_email', 'Mark the user\'s e-mail address confirmed', { 200: UserView }), params: IdParams },
  }, async (request) => {
    const actor = actorOf(request);
    const before = await getUser(deps, request.params.id);
    assertMay(actor, 'user.credentials', before);
    const after = await audited(deps.db, actor, async (tx) => {
      const user = await updateUser({ db: tx }, before.id, { emailConfirmed: true });
      return { action: 'user.confirm-email', entityType: 'user', entityId: user.id, before: userView(before), after: userView(user), result: user };
    });
    return userView(after);
  });

  app.put('/users/:id/password', {
    schema: { ...adminDoc('admin_users_set_password', 'Set the user\'s password (checked by the password rules)', { 204: NoContent }), params: IdParams, body: PasswordBody },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const before = await getUser(deps, request.params.id);
    assertMay(actor, 'user.credentials', before);
    checkPassword(deps, request.body.password, before);
    await audited(deps.db, actor, async (tx) => {
      await setPassword({ db: tx }, before.id, request.body.password);
      return { action: 'user.set-password', entityType: 'user', entityId: before.id, result: undefined };
    });
    return reply.status(204).send(null);
  });

  app.post('/users/:id/password-reset', {
    schema: {
      ...adminDoc('admin_users_reset_password', 'Reset: remove the password (no sign-in with it) and e-mail the user a link to choose a new one', { 204: NoContent }),
      params: IdParams,
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const before = await getUser(deps, request.params.id);
    assertMay(actor, 'user.credentials', before);
    await audited(deps.db, actor, async (tx) => {
      // The old password stops working first; the link is bound to the hash as it is then, so
      // it works once, also for a user who never had a password (an invitation).
      if (!before.password.startsWith('!')) await setPasswordHash({ db: tx }, before.id, `!${before.password}`);
      await mailPasswordResetLink(withTx(tx), await getUser({ db: tx }, before.id));
      await deleteSessionsOfUser(withTx(tx), before.id);
      return { action: 'user.reset-password', entityType: 'user', entityId: before.id, result: undefined };
    });
    return reply.status(204).send(null);
  });

  // Memberships

  const membership = async (userId: number) => ({ teams: await listTeamsOfUser(deps, userId), roles: await listDirectRolesOfUser(deps, userId) });

  app.post('/users/:id/teams', {
    schema: { ...adminDoc('admin_users_add_team', 'Add the user to a team', { 201: Membership }), params: IdParams, body: TeamRef },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const user = await getUser(deps, request.params.id);
    assertMay(actor, 'user.memberships', user);
    const team = await getTeam(deps, request.body.team_id);
    await audited(deps.db, actor, async (tx) => {
      await addTeamMember({ db: tx }, team.id, user.id);
      return { action: 'user.team.add', entityType: 'user', entityId: user.id, after: { teamId: team.id, team: team.name }, result: undefined };
    });
    return reply.status(201).send(await membership(user.id));
  });

  app.delete('/users/:id/teams/:teamId', {
    schema: { ...adminDoc('admin_users_remove_team', 'Remove the user from a team', { 200: Membership }), params: UserTeamParams },
  }, async (request) => {
    const actor = actorOf(request);
    const user = await getUser(deps, request.params.id);
    assertMay(actor, 'user.memberships', user);
    const team = await getTeam(deps, request.params.teamId);
    await audited(deps.db, actor, async (tx) => {
      await removeTeamMember({ db: tx }, team.id, user.id);
      return { action: 'user.team.remove', entityType: 'user', entityId: user.id, before: { teamId: team.id, team: team.name }, result: undefined };
    });
    return membership(user.id);
  });

  app.post('/users/:id/roles', {
    schema: { ...adminDoc('admin_users_add_role', 'Grant the user a role directly', { 201: Membership }), params: IdParams, body: RoleRef },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const user = await getUser(deps, request.params.id);
    assertMay(actor, 'user.memberships', user);
    const role = await getRole(deps, request.body.role_id);
    await audited(deps.db, actor, async (tx) => {
      await grantRoleToUser({ db: tx }, role.id, user.id);
      return { action: 'user.role.add', entityType: 'user', entityId: user.id, after: { roleId: role.id, role: role.name }, result: undefined };
    });
    return reply.status(201).send(await membership(user.id));
  });

  app.delete('/users/:id/roles/:roleId', {
    schema: { ...adminDoc('admin_users_remove_role', 'Take a directly held role from the user', { 200: Membership }), params: UserRoleParams },
  }, async (request) => {
    const actor = actorOf(request);
    const user = await getUser(deps, request.params.id);
    assertMay(actor, 'user.memberships', user);
    const role = await getRole(deps, request.params.roleId);
    await audited(deps.db, actor, async (tx) => {
      await revokeRoleFromUser({ db: tx }, role.id, user.id);
      return { action: 'user.role.remove', entityType: 'user', entityId: user.id, before: { roleId: role.id, role: role.name }, result: undefined };
    });
    return membership(user.id);
  });
}
