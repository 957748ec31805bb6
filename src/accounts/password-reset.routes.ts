// Password reset pages (docs/compatibility.md §6.7). As Django's flow, a good link is swapped at once for a
// cookie and a redirect to `…/set-password/`, so the token leaves the address bar and never
// reaches another site in a Referer header.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { catalogue } from '../errors.ts';
import { isSecureRequest } from '../http/cookies.ts';
import { csrfToken, verifyCsrf } from '../http/csrf.ts';
import type { AccountDeps } from './accounts.deps.ts';
import { captchaSiteKey, checkCaptcha } from './captcha.service.ts';
import { fieldErrorsOf, readField } from './form-input.ts';
import { findUserOfResetLink, requestPasswordReset, resetPassword } from './password-reset.service.ts';
import { RESET_TOKEN_TTL_SECONDS } from './password-reset-token.ts';
import type { MailFormLimits } from './request-limits.ts';
import { CAPTCHA_CSP } from './views/captcha.ts';
import { loginPage } from './views/login.ts';
import { invalidResetLinkPage, resetRequestPage, resetSentPage, setPasswordPage } from './views/password-reset.ts';

const RESET_COOKIE = 'djam_password_reset';
const SET_PASSWORD = 'set-password';
type LinkRequest = FastifyRequest<{ Params: { uidb64: string; token: string } }>;

export async function passwordResetRoutes(app: FastifyInstance, deps: AccountDeps & { limits: MailFormLimits }): Promise<void> {
  const siteKey = captchaSiteKey(deps.config);
  const html = (reply: FastifyReply, body: string, status = 200) => reply.status(status).type('text/html').send(body);
  const requestForm = (request: FastifyRequest, reply: FastifyReply, v: { email?: string; errors?: Record<string, string[]>; formError?: string } = {}, status = 200) => {
    if (siteKey) reply.header('content-security-policy', CAPTCHA_CSP);
    return html(reply, resetRequestPage({ csrfToken: csrfToken(deps.keys, request, reply), siteKey, ...v }), status);
  };

  app.get('/accounts/password_reset/', async (request, reply) => requestForm(request, reply));
  app.post('/accounts/password_reset/', async (request, reply) => {
    verifyCsrf(deps.keys, request);
    const email = readField(request.body, 'email');
    if (!(await deps.limits.admit(reply, request.ip, email))) return requestForm(request, reply, { email, formError: catalogue.RATE_LIMITED.message }, 429);
    try {
      await checkCaptcha({ config: deps.config, log: request.log }, readField(request.body, 'captcha'), request.ip);
      await requestPasswordReset(deps, email);
      return reply.redirect('/accounts/password_reset/done/', 302);
    } catch (err) {
      const errors = fieldErrorsOf(err);
      if (!errors) throw err;
      return requestForm(request, reply, { email, errors });
    }
  });
  app.get('/accounts/password_reset/done/', async (_request, reply) => html(reply, resetSentPage()));

  const resetLink = async (request: LinkRequest, reply: FastifyReply) => {
    const { uidb64, token } = request.params;
    const base = `/accounts/reset/${uidb64}/`;
    if (token !== SET_PASSWORD) {
      if (!(await findUserOfResetLink(deps, uidb64, token))) return html(reply, invalidResetLinkPage());
      reply.setCookie(RESET_COOKIE, token, { path: base, httpOnly: true, sameSite: 'lax', secure: isSecureRequest(request), maxAge: RESET_TOKEN_TTL_SECONDS });
      return reply.redirect(`${base}${SET_PASSWORD}/`, 302);
    }
    const user = await findUserOfResetLink(deps, uidb64, request.cookies[RESET_COOKIE] ?? '');
    if (!user) return html(reply, invalidResetLinkPage());
    const form = (errors?: Record<string, string[]>) =>
      html(reply, setPasswordPage({ csrfToken: csrfToken(deps.keys, request, reply), action: `${base}${SET_PASSWORD}/`, errors }));
    if (request.method !== 'POST') return form();
    verifyCsrf(deps.keys, request);
    try {
      await resetPassword(deps, user, request.body);
    } catch (err) {
      const errors = fieldErrorsOf(err);
      if (!errors) throw err;
      return form(errors);
    }
    request.log.info({ userId: user.id }, 'password.reset');
    reply.clearCookie(RESET_COOKIE, { path: base });
    return reply.redirect('/accounts/reset/done/', 302);
  };
  app.get('/accounts/reset/:uidb64/:token/', resetLink);
  app.post('/accounts/reset/:uidb64/:token/', resetLink);

  app.get('/accounts/reset/done/', async (request, reply) => html(reply, loginPage({
    title: 'Password reset complete', action: '/accounts/login/', csrfToken: csrfToken(deps.keys, request, reply),
    notice: 'Your password has been set. You may go ahead and log in now.',
  })));
}
