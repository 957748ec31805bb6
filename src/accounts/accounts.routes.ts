// The self-service pages (docs/compatibility.md §6), registered together so that the forms that send e-mail (the
// account page's too, when it asks to change the address) share one set of rate limits. Sign-in
// and sign-out live in login.routes.ts.
import type { FastifyInstance } from 'fastify';
import { pageAssetRoutes } from '../http/views/page-assets.ts';
import { accountRoutes } from './account.routes.ts';
import { activationRoutes } from './activation.routes.ts';
import { passwordChangeRoutes } from './password-change.routes.ts';
import type { PasswordChangeDeps } from './password-change.service.ts';
import { passwordResetRoutes } from './password-reset.routes.ts';
import { registrationRoutes } from './registration.routes.ts';
import { MailFormLimits } from './request-limits.ts';
import { CAPTCHA_SCRIPT, CAPTCHA_SCRIPT_PATH } from './views/captcha.ts';

export async function selfServiceRoutes(app: FastifyInstance, deps: PasswordChangeDeps): Promise<void> {
  const limits = new MailFormLimits(deps.config, deps.throttle.store);
  await app.register(registrationRoutes, { ...deps, limits });
  await app.register(activationRoutes, { ...deps, limits });
  await app.register(passwordResetRoutes, { ...deps, limits });
  await app.register(passwordChangeRoutes, deps);
  await app.register(accountRoutes, { ...deps, limits });
  await app.register(pageAssetRoutes);
  app.get(CAPTCHA_SCRIPT_PATH, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CAPTCHA_SCRIPT));
}
