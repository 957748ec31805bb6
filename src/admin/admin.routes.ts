// The admin REST API (/api/admin/*), for the console and for machines: one plugin whose
// onRequest hook admits staff (session + X-CSRFToken) and admin-scoped Bearer tokens, with one
// file of thin handlers per resource. Every change is written to the audit log.
import { registerAjvFormats, TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AdminDeps } from './admin.deps.ts';
import { adminGuard } from './admin.guard.ts';
import { ErrorBody } from './admin.schemas.ts';
import { usersAdminRoutes } from './users.admin-routes.ts';
import { teamsAdminRoutes } from './teams.admin-routes.ts';
import { rolesAdminRoutes } from './roles.admin-routes.ts';
import { resourcesAdminRoutes } from './resources.admin-routes.ts';
import { apiKeysAdminRoutes } from './api-keys.admin-routes.ts';
import { clientsAdminRoutes } from './clients.admin-routes.ts';
import { loginPreventionsAdminRoutes } from './login-preventions.admin-routes.ts';
import { jobsAdminRoutes } from './jobs.admin-routes.ts';
import { signingKeysAdminRoutes } from './signing-keys.admin-routes.ts';
import { auditAdminRoutes } from './audit.admin-routes.ts';
import { consoleAdminRoutes } from './console.admin-routes.ts';

const ADMIN_PREFIX = '/api/admin';

// TypeBox's formats (email, date-time, uuid) as Ajv checks them.
registerAjvFormats();

export async function adminRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.addSchema(ErrorBody);
    // TypeBox validates: a JSON body exactly as sent (no coercion of 42 to "42", unknown fields
    // refused), query and path parameters converted from their text first.
    scope.setValidatorCompiler(TypeBoxValidatorCompiler);
    scope.addHook('onRequest', adminGuard(deps));
    const typed = scope.withTypeProvider<TypeBoxTypeProvider>();
    for (const routes of [
      usersAdminRoutes, teamsAdminRoutes, rolesAdminRoutes, resourcesAdminRoutes, apiKeysAdminRoutes, clientsAdminRoutes,
      loginPreventionsAdminRoutes, jobsAdminRoutes, signingKeysAdminRoutes, auditAdminRoutes, consoleAdminRoutes,
    ]) {
      await routes(typed, deps);
    }
  }, { prefix: ADMIN_PREFIX });
}
