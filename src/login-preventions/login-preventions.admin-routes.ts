// /api/admin/login-preventions: per client, the teams whose members only may not sign in to it.
import { getClient } from '../clients/index.ts';
import { AppError } from '../errors.ts';
import { deleteLoginPrevention, findLoginPreventionOfClient, getLoginPrevention, listLoginPreventionsPage, setLoginPrevention } from './index.ts';
import { missingTeamIds } from '../privileges/index.ts';
import type { Db } from '../db/client.ts';
import { actorOf, adminDoc, type AdminApp, type AdminDeps, IdParams, NoContent, listQuerySchema, toPageRequest, pageView } from '../admin/index.ts';
import { LoginPreventionCreate, LoginPreventionPage, LoginPreventionUpdate, LoginPreventionView, loginPreventionView } from './login-preventions.admin-schemas.ts';
import { assertMay, audited } from '../access/index.ts';

async function assertTeamsExist(db: Db, ids: number[]): Promise<void> {
  const missing = await missingTeamIds({ db }, ids);
  if (missing.length) throw new AppError('VALIDATION_FAILED', { details: { fields: { team_ids: `No team has the id ${missing.join(', ')}.` } } });
}

export async function loginPreventionsAdminRoutes(app: AdminApp, deps: AdminDeps): Promise<void> {
  app.get('/login-preventions', {
    schema: { ...adminDoc('admin_login_preventions_list', 'Login preventions: search by client id', { 200: LoginPreventionPage }), querystring: listQuerySchema(['id', 'client_id']) },
  }, async (request) => pageView(await listLoginPreventionsPage(deps, toPageRequest(request.query)), loginPreventionView));

  app.post('/login-preventions', {
    schema: {
      ...adminDoc('admin_login_preventions_create', 'Prevent sign-in to a client for members of only the listed teams', { 201: LoginPreventionView, 409: { description: 'The client has one already.', $ref: 'AdminError' } }),
      body: LoginPreventionCreate,
    },
  }, async (request, reply) => {
    assertMay(actorOf(request), 'login-preventions.manage');
    const client = await getClient(deps, request.body.client);
    await assertTeamsExist(deps.db, request.body.team_ids);
    if (await findLoginPreventionOfClient(deps, client.id)) {
      throw new AppError('NAME_TAKEN', { message: 'That client has a login prevention already; change it instead.', details: { fields: { client: 'Login prevention with this Client already exists.' } } });
    }
    const view = await audited(deps.db, actorOf(request), async (tx) => {
      await setLoginPrevention({ db: tx }, client.id, request.body.team_ids);
      const created = loginPreventionView((await findLoginPreventionOfClient({ db: tx }, client.id))!);
      return { action: 'login-prevention.create', entityType: 'login-prevention', entityId: created.id, after: created, result: created };
    });
    return reply.status(201).send(view);
  });

  app.get('/login-preventions/:id', {
    schema: { ...adminDoc('admin_login_preventions_retrieve', 'A login prevention', { 200: LoginPreventionView }), params: IdParams },
  }, async (request) => loginPreventionView(await getLoginPrevention(deps, request.params.id)));

  app.put('/login-preventions/:id', {
    schema: { ...adminDoc('admin_login_preventions_update', 'Replace the listed teams', { 200: LoginPreventionView }), params: IdParams, body: LoginPreventionUpdate },
  }, async (request) => {
    assertMay(actorOf(request), 'login-preventions.manage');
    const before = await getLoginPrevention(deps, request.params.id);
    await assertTeamsExist(deps.db, request.body.team_ids);
    return audited(deps.db, actorOf(request), async (tx) => {
      await setLoginPrevention({ db: tx }, before.clientRowId, request.body.team_ids);
      const after = loginPreventionView(await getLoginPrevention({ db: tx }, before.id));
      return { action: 'login-prevention.update', entityType: 'login-prevention', entityId: before.id, before: loginPreventionView(before), after, result: after };
    });
  });

  app.delete('/login-preventions/:id', {
    schema: { ...adminDoc('admin_login_preventions_destroy', 'Delete a login prevention (the client is open to everyone again)', { 204: NoContent }), params: IdParams },
  }, async (request, reply) => {
    assertMay(actorOf(request), 'login-preventions.manage');
    const before = await getLoginPrevention(deps, request.params.id);
    await audited(deps.db, actorOf(request), async (tx) => {
      await deleteLoginPrevention({ db: tx }, before.id);
      return { action: 'login-prevention.delete', entityType: 'login-prevention', entityId: before.id, before: loginPreventionView(before), result: undefined };
    });
    return reply.status(204).send(null);
  });
}
