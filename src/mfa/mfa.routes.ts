// Every page of multi-factor sign-in (#22), registered by the sign-in pages' plugin.
import type { FastifyInstance } from 'fastify';
import { passkeyRoutes } from './passkeys.routes.ts';
import { secondStepRoutes, type MfaRouteDeps } from './second-step.routes.ts';
import { securityRoutes } from './security.routes.ts';

export async function mfaRoutes(app: FastifyInstance, deps: MfaRouteDeps): Promise<void> {
  await app.register(secondStepRoutes, deps);
  await app.register(securityRoutes, deps);
  await app.register(passkeyRoutes, deps);
}
