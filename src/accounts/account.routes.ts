// The account page (DJAM §6.9): the signed-in user's own profile; another user's id is 403.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { AppError } from '../errors.ts';
import { csrfToken } from '../http/csrf.ts';
import { requireSession } from '../http/session.ts';
import { accountPage } from './views/account.ts';

export async function accountRoutes(app: FastifyInstance, deps: { config: Config; db: Db; keys: SecretKeys }): Promise<void> {
  const sessionDeps = { ...deps, loginUrl: deps.config.loginUrl };
  const show = async (request: FastifyRequest<{ Params: { id?: string } }>, reply: FastifyReply) => {
    const session = await requireSession(sessionDeps, request, reply);
    if (!session) return reply;
    const { id } = request.params;
    if (id !== undefined && !/^\d+$/.test(id)) throw new AppError('NOT_FOUND');
    if (id !== undefined && Number(id) !== session.user.id) throw new AppError('FORBIDDEN');
    return reply.type('text/html').send(accountPage(session.user, csrfToken(deps.keys, request, reply)));
  };
  app.get('/user/account/', show);
  app.get('/user/account/:id/', show);
  app.get('/user/account/edit/:id/', show);
}
