// E-mail confirmation and activation resend pages (docs/compatibility.md §6.5, §6.6).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, catalogue } from '../errors.ts';
import { csrfToken, verifyCsrf } from '../http/csrf.ts';
import { raw, type SafeHtml } from '../http/views/html.ts';
import type { AccountDeps } from './accounts.deps.ts';
import { confirmEmail, isUuid, resendActivation, type Confirmation } from './activation.service.ts';
import { fieldErrorsOf, readField } from './form-input.ts';
import type { MailFormLimits } from './request-limits.ts';
import { loginPage } from './views/login.ts';
import { resendPage, type ResendView } from './views/resend.ts';

const RESEND_LINK = '<br><a href="/user/resend_activation_email/">Resend an activation email</a>.';
const CONFIRMATION: Record<Confirmation, (email: string) => { error?: SafeHtml | string; notice?: string }> = {
  'unknown-user': () => ({ error: 'Whoops.. Something went wrong.' }),
  'already-confirmed': () => ({ error: 'Whoops.. Your email is already confirmed.' }),
  'bad-code': () => ({ error: raw(`Whoops.. Something went wrong.${RESEND_LINK}`) }),
  expired: () => ({ error: raw(`Whoops... Your activation code has expired.${RESEND_LINK}`) }),
  confirmed: () => ({ notice: 'Congrats! You have successfully activated your account :) From now on you can log in.' }),
  'email-changed': (email) => ({ notice: `Your e-mail address is now ${email}. Use it to sign in from now on.` }),
  'email-taken': (email) => ({ error: `Whoops.. ${email} is now used by another account. Your e-mail address was not changed.` }),
  'stale-change': () => ({ error: 'Whoops.. This link is no longer valid. Follow the one in the latest e-mail we sent you.' }),
  'change-expired': () => ({ error: 'Whoops... This link has expired. Your e-mail address was not changed; ask for the change again on your account page.' }),
};

export async function activationRoutes(app: FastifyInstance, deps: AccountDeps & { limits: MailFormLimits }): Promise<void> {
  const html = (reply: FastifyReply, body: string, status = 200) => reply.status(status).type('text/html').send(body);
  const resendForm = (request: FastifyRequest, reply: FastifyReply, v: Partial<ResendView> = {}, status = 200) =>
    html(reply, resendPage({ csrfToken: csrfToken(deps.keys, request, reply), ...v }), status);

  app.get<{ Params: { uuid: string }; Querystring: Record<string, unknown> }>('/user/:uuid/email_confirmation/', async (request, reply) => {
    if (!isUuid(request.params.uuid)) throw new AppError('NOT_FOUND');
    const code = typeof request.query.activation_code === 'string' ? request.query.activation_code : '';
    const { outcome, email = '' } = await confirmEmail(deps, request.params.uuid, code);
    request.log.info({ outcome }, 'registration.email_confirmation');
    return html(reply, loginPage({ title: 'Email confirmation', action: '/accounts/login/', csrfToken: csrfToken(deps.keys, request, reply), ...CONFIRMATION[outcome](email) }));
  });

  app.get('/user/resend_activation_email/', async (request, reply) => resendForm(request, reply));
  app.post('/user/resend_activation_email/', async (request, reply) => {
    verifyCsrf(deps.keys, request);
    const email = readField(request.body, 'email');
    if (!(await deps.limits.admit(reply, request.ip, email))) return resendForm(request, reply, { email, formError: catalogue.RATE_LIMITED.message }, 429);
    try {
      // The same answer whatever the address's state: only its owner learns it, by e-mail (#17 item 8).
      const outcome = await resendActivation(deps, email);
      request.log.info({ outcome }, 'registration.activation_resent');
      return reply.redirect('/user/activation_msg_sent/', 302);
    } catch (err) {
      const errors = fieldErrorsOf(err);
      if (!errors) throw err;
      return resendForm(request, reply, { email, errors });
    }
  });
}
