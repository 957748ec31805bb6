// Password change by the signed-in user (docs/compatibility.md §6.7).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { catalogue } from '../errors.ts';
import { retryAfterOf } from '../users/index.ts';
import { SESSION_COOKIE } from '../http/cookies.ts';
import { csrfToken, verifyCsrf } from '../http/csrf.ts';
import { requireSession } from '../http/session.ts';
import type { ActiveSession } from '../users/index.ts';
import { fieldErrorsOf, type FieldErrors } from './form-input.ts';
import { changePassword, type PasswordChangeDeps } from './password-change.service.ts';
import { changePasswordPage, passwordChangedPage } from './views/password-change.ts';

export async function passwordChangeRoutes(app: FastifyInstance, deps: PasswordChangeDeps): Promise<void> {
  const sessionDeps = { ...deps, loginUrl: deps.config.loginUrl };
  const frame = (request: FastifyRequest, reply: FastifyReply, s: ActiveSession) => ({ user: s.user, csrfToken: csrfToken(deps.keys, request, reply) });
  const form = (request: FastifyRequest, reply: FastifyReply, s: ActiveSession, errors?: FieldErrors, formError?: string, status = 200) =>
    reply.status(status).type('text/html').send(changePasswordPage(frame(request, reply, s), errors, formError));

  app.get('/accounts/password_change/', async (request, reply) => {
    const session = await requireSession(sessionDeps, request, reply);
    return session ? form(request, reply, session) : reply;
  });
  app.post('/accounts/password_change/', async (request, reply) => {
    const session = await requireSession(sessionDeps, request, reply);
    if (!session) return reply;
    verifyCsrf(deps.keys, request);
    try {
      await changePassword(deps, session.user, request.body, { sessionToken: request.cookies[SESSION_COOKIE] ?? '', ip: request.ip });
    } catch (err) {
      const retryAfterSeconds = retryAfterOf(err);
      if (retryAfterSeconds !== undefined) {
        return form(request, reply.header('retry-after', String(retryAfterSeconds)), session, {}, catalogue.RATE_LIMITED.message, 429);
      }
      const errors = fieldErrorsOf(err);
      if (!errors) throw err;
      return form(request, reply, session, errors);
    }
    request.log.info({ userId: session.user.id }, 'password.changed');
    return reply.redirect('/accounts/password_change/done/', 302);
  });
  app.get('/accounts/password_change/done/', async (request, reply) => {
    const session = await requireSession(sessionDeps, request, reply);
    return session ? reply.type('text/html').send(passwordChangedPage(frame(request, reply, session), session.user.id)) : reply;
  });
}
