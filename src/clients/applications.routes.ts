// /o/applications/: signed-in users register and manage their own OAuth applications
// (the pages of the tutorial, after Django OAuth Toolkit's).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { AppError } from '../errors.ts';
import { csrfToken, verifyCsrf } from '../http/csrf.ts';
import { requireSession } from '../http/session.ts';
import type { ActiveSession } from '../users/index.ts';
import { userActor } from '../access/index.ts';
import { getOwnedClient, grantTypeOf, listClientsOwnedBy, type ClientRow } from './clients.service.ts';
import { changeClient, registerClient, removeClient, rotateSecretOf } from './clients-manage.service.ts';
import type { ClientInput } from './clients.validation.ts';
import { flashPath, setSecretFlash, takeSecretFlash } from './secret-flash.ts';
import { deletePage, detailPage, formPage, listPage, type FormValues } from './views/applications.ts';

interface Deps { config: Config; db: Db; keys: SecretKeys }
type Req = FastifyRequest<{ Params: { id: string } }>;

function readForm(body: unknown): FormValues {
  const b = (body ?? {}) as Record<string, unknown>;
  const s = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
  return {
    name: s('name'), client_type: s('client_type') || 'confidential',
    grant_type: s('authorization_grant_type').replace('_', '-') || 'authorization-code',
    redirect_uris: s('redirect_uris'), post_logout_redirect_uris: s('post_logout_redirect_uris'),
  };
}

function toInput(v: FormValues): ClientInput {
  const lines = (t: string) => t.split(/\s+/).filter(Boolean);
  return {
    name: v.name, clientType: v.client_type as ClientInput['clientType'],
    grantType: v.grant_type.replace('-', '_') as ClientInput['grantType'],
    redirectUris: lines(v.redirect_uris), postLogoutRedirectUris: lines(v.post_logout_redirect_uris),
  };
}

function toForm(c: ClientRow): FormValues {
  return {
    name: c.name, client_type: c.clientType, grant_type: grantTypeOf(c).replace('_', '-'),
    redirect_uris: c.redirectUris.join('\n'), post_logout_redirect_uris: c.postLogoutRedirectUris.join('\n'),
  };
}

function fieldErrors(err: unknown): Record<string, string> | undefined {
  if (err instanceof AppError && err.code === 'VALIDATION_FAILED') return (err.details?.fields as Record<string, string>) ?? { name: err.message };
  return undefined;
}

export async function applicationRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const sessionDeps = { ...deps, loginUrl: deps.config.loginUrl };
  const frame = (request: FastifyRequest, reply: FastifyReply, s: ActiveSession) => ({ user: s.user, csrfToken: csrfToken(deps.keys, request, reply) });
  const page = (reply: FastifyReply, body: string) => reply.type('text/html').send(body);
  // Every page needs a session; every POST also a valid CSRF token.
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    const session = await requireSession(sessionDeps, request, reply);
    if (session && request.method === 'POST') verifyCsrf(deps.keys, request);
    return session;
  };
  const owned = (s: ActiveSession, request: Req) => getOwnedClient(deps, s.user.id, /^[1-9]\d{0,9}$/.test(request.params.id) && Number(request.params.id) <= 2147483647 ? Number(request.params.id) : NaN);

  app.get('/o/applications/', async (request, reply) => {
    const s = await guard(request, reply);
    return s ? page(reply, listPage(frame(request, reply, s), await listClientsOwnedBy(deps, s.user.id))) : reply;
  });

  app.get('/o/applications/register/', async (request, reply) => {
    const s = await guard(request, reply);
    return s ? page(reply, formPage(frame(request, reply, s), 'Register a new application', '/o/applications/register/', readForm({}))) : reply;
  });

  app.post('/o/applications/register/', async (request, reply) => {
    const s = await guard(request, reply);
    if (!s) return reply;
    const values = readForm(request.body);
    try {
      // #24: a new client gets the flat `groups` claim.
      const { client, clientSecret } = await registerClient(deps, userActor(s.user, request.ip), { ...toInput(values), ownerId: s.user.id, protocol: { groups_claim: 'flat' } });
      request.log.info({ clientId: client.clientId, userId: s.user.id }, 'client.registered');
      if (clientSecret) setSecretFlash(deps.keys, request, reply, s, client, clientSecret);
      return reply.redirect(flashPath(client.id), 303);
    } catch (err) {
      const errors = fieldErrors(err);
      if (!errors) throw err;
      return page(reply.status(400), formPage(frame(request, reply, s), 'Register a new application', '/o/applications/register/', values, errors));
    }
  });

  app.get('/o/applications/:id/', async (request: Req, reply) => {
    const s = await guard(request, reply);
    if (!s) return reply;
    const c = await owned(s, request);
    const secret = takeSecretFlash(deps.keys, request, reply, s, c);
    if (secret) reply.header('cache-control', 'no-store');
    return page(reply, detailPage(frame(request, reply, s), c, secret));
  });

  app.get('/o/applications/:id/update/', async (request: Req, reply) => {
    const s = await guard(request, reply);
    if (!s) return reply;
    const c = await owned(s, request);
    return page(reply, formPage(frame(request, reply, s), `Edit ${c.name}`, `/o/applications/${c.id}/update/`, toForm(c)));
  });

  app.post('/o/applications/:id/update/', async (request: Req, reply) => {
    const s = await guard(request, reply);
    if (!s) return reply;
    const c = await owned(s, request);
    const values = readForm(request.body);
    try {
      const updated = await changeClient(deps, userActor(s.user, request.ip), c.id, { ...toInput(values), requireConsent: c.requireConsent });
      return reply.redirect(`/o/applications/${updated.id}/`, 303);
    } catch (err) {
      const errors = fieldErrors(err);
      if (!errors) throw err;
      return page(reply.status(400), formPage(frame(request, reply, s), `Edit ${c.name}`, `/o/applications/${c.id}/update/`, values, errors));
    }
  });

  app.post('/o/applications/:id/rotate-secret/', async (request: Req, reply) => {
    const s = await guard(request, reply);
    if (!s) return reply;
    const c = await owned(s, request);
    const { secret } = await rotateSecretOf(deps, userActor(s.user, request.ip), c.id);
    setSecretFlash(deps.keys, request, reply, s, c, secret);
    return reply.redirect(flashPath(c.id), 303);
  });

  app.get('/o/applications/:id/delete/', async (request: Req, reply) => {
    const s = await guard(request, reply);
    return s ? page(reply, deletePage(frame(request, reply, s), await owned(s, request))) : reply;
  });

  app.post('/o/applications/:id/delete/', async (request: Req, reply) => {
    const s = await guard(request, reply);
    if (!s) return reply;
    await removeClient(deps, userActor(s.user, request.ip), (await owned(s, request)).id);
    return reply.redirect('/o/applications/', 303);
  });
}
