// What the console needs besides the resources: who is signed in (with the CSRF token its
// unsafe calls echo), the dashboard counts, and the effective configuration (superusers only).
import { Type } from 'typebox';
import { listSettings } from '../config.ts';
import { csrfToken } from '../http/csrf.ts';
import { findUser } from '../users/index.ts';
import { actorOf, superuserFor, adminDoc, type AdminApp, type AdminDeps } from '../admin/index.ts';
import { readDashboardStats } from './stats.service.ts';

const Count = Type.Integer({ minimum: 0 });

const SessionView = Type.Object({
  actor: Type.Object({ type: Type.String({ enum: ['user', 'client', 'api-key', 'cli', 'system'] }), id: Type.String(), label: Type.String(), is_superuser: Type.Boolean() }),
  user: Type.Union([Type.Object({
    id: Type.Integer(), email: Type.String(), first_name: Type.String(), last_name: Type.String(), is_staff: Type.Boolean(), is_superuser: Type.Boolean(),
  }), Type.Null()], { description: 'The signed-in administrator; null for a machine token.' }),
  csrf_token: Type.String({ description: 'Echo it in X-CSRFToken on unsafe methods (session callers).' }),
});

const StatsView = Type.Object({
  users: Count, active_keys: Count, clients: Count, jobs_waiting: Count, jobs_failed: Count,
  logins_last_day: Type.Integer({ minimum: 0, description: 'Users whose last sign-in is less than 24 hours old.' }),
});

const ConfigView = Type.Object({
  items: Type.Array(Type.Object({
    name: Type.String(), value: Type.Unknown({ description: 'Effective value; `********` for a secret that is set.' }), secret: Type.Boolean(), description: Type.String(),
  })),
});

export async function consoleAdminRoutes(app: AdminApp, deps: AdminDeps): Promise<void> {
  app.get('/session', {
    schema: adminDoc('admin_session', 'Who is calling, and the CSRF token for unsafe calls', { 200: SessionView }),
  }, async (request, reply) => {
    const actor = actorOf(request);
    const user = actor.userId === undefined ? undefined : await findUser(deps, actor.userId);
    reply.header('Cache-Control', 'no-store');
    return {
      actor: { type: actor.kind, id: actor.id, label: actor.label, is_superuser: actor.isSuperuser },
      user: user ? {
        id: user.id, email: user.email, first_name: user.firstName, last_name: user.lastName, is_staff: user.isStaff, is_superuser: user.isSuperuser,
      } : null,
      csrf_token: csrfToken(deps.keys, request, reply),
    };
  });

  app.get('/stats', {
    schema: adminDoc('admin_stats', 'Dashboard counts: users, active keys, clients, jobs waiting and failed, sign-ins in the last day', { 200: StatsView }),
  }, async () => readDashboardStats(deps));

  app.get('/config', {
    onRequest: superuserFor('config.read'),
    schema: adminDoc('admin_config', 'The effective settings, secrets masked (superusers only; settings come from DJAM_* variables)', { 200: ConfigView }),
  }, async () => ({ items: listSettings(deps.config) }));
}
