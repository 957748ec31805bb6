// The admin REST API (/api/admin/*), for the console and for machines: one plugin whose
// onRequest hook admits staff (session + X-CSRFToken) and admin-scoped Bearer tokens, with one
// file of thin handlers per resource, kept in its capability's folder. Every change is written to the audit log.
import { registerAjvFormats, TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AdminApp, AdminDeps } from './admin.deps.ts';
import { adminGuard } from './admin.guard.ts';
import { ErrorBody } from './admin.schemas.ts';

const ADMIN_PREFIX = '/api/admin';

// TypeBox's formats (email, date-time, uuid) as Ajv checks them.
registerAjvFormats();

/** One capability's admin routes (e.g. users/users.admin-routes.ts), registered under /api/admin. */
type AdminRoutes = (app: AdminApp, deps: AdminDeps) => Promise<void>;

export interface AdminPluginOptions extends AdminDeps {
  /** Every capability's admin routes, from the composition root (app.ts). */
  routes: AdminRoutes[];
}

export async function adminRoutes(app: FastifyInstance, { routes: routeFiles, ...deps }: AdminPluginOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.addSchema(ErrorBody);
    // TypeBox validates: a JSON body exactly as sent (no coercion of 42 to "42", unknown fields
    // refused), query and path parameters converted from their text first.
    scope.setValidatorCompiler(TypeBoxValidatorCompiler);
    scope.addHook('onRequest', adminGuard(deps));
    const typed = scope.withTypeProvider<TypeBoxTypeProvider>();
    for (const routes of routeFiles) await routes(typed, deps);
  }, { prefix: ADMIN_PREFIX });
}
