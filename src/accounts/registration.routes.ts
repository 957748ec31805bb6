// The sign-up page and the page that follows it (docs/compatibility.md §6.4).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { catalogue } from '../errors.ts';
import { csrfToken, verifyCsrf } from '../http/csrf.ts';
import type { AccountDeps } from './accounts.deps.ts';
import { captchaSiteKey, checkCaptcha } from './captcha.service.ts';
import { fieldErrorsOf, readField } from './form-input.ts';
import { registerUser, type RegistrationForm } from './registration.service.ts';
import type { MailFormLimits } from './request-limits.ts';
import { CAPTCHA_CSP } from './views/captcha.ts';
import { activationSentPage, registerPage, type RegisterView } from './views/register.ts';

function readRegistration(body: unknown): RegistrationForm {
  const text = (name: string) => readField(body, name);
  const secret = (name: string) => readField(body, name, { strip: false });
  return {
    first_name: text('first_name'), last_name: text('last_name'), email: text('email'), secondary_email: text('secondary_email'),
    password1: secret('password1'), password2: secret('password2'),
  };
}

export async function registrationRoutes(app: FastifyInstance, deps: AccountDeps & { limits: MailFormLimits }): Promise<void> {
  const siteKey = captchaSiteKey(deps.config);
  const html = (reply: FastifyReply, body: string, status = 200) => reply.status(status).type('text/html').send(body);
  const registerForm = (request: FastifyRequest, reply: FastifyReply, v: Partial<RegisterView> = {}, status = 200) => {
    if (siteKey) reply.header('content-security-policy', CAPTCHA_CSP);
    return html(reply, registerPage({ csrfToken: csrfToken(deps.keys, request, reply), siteKey, ...v }), status);
  };
  app.get('/register', async (_request, reply) => reply.redirect('/user/register/', 302));
  app.get('/user/register/', async (request, reply) => registerForm(request, reply));
  app.post('/user/register/', async (request, reply) => {
    verifyCsrf(deps.keys, request);
    const values = readRegistration(request.body);
    if (!(await deps.limits.admit(reply, request.ip, values.email))) return registerForm(request, reply, { values, formError: catalogue.RATE_LIMITED.message }, 429);
    try {
      // The captcha first: no work for a script.
      await checkCaptcha({ config: deps.config, log: request.log }, readField(request.body, 'captcha'), request.ip);
      // The same answer whatever the address's state: only its owner learns it, by e-mail (#17 item 8).
      const outcome = await registerUser(deps, values);
      request.log.info({ outcome }, 'registration.submitted');
      return reply.redirect('/user/activation_msg_sent/', 302);
    } catch (err) {
      const errors = fieldErrorsOf(err);
      if (!errors) throw err;
      return registerForm(request, reply, { values, errors });
    }
  });
  app.get('/user/activation_msg_sent/', async (_request, reply) => html(reply, activationSentPage()));
}
