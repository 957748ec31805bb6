// /api/admin/users/:id/mfa: a user's second factors, and the reset that makes them enrol again at
// their next sign-in; /api/admin/teams/:id/mfa: the team's "members must use MFA" flag (#22).
import { actorOf, adminDoc, type AdminApp, type AdminDeps, IdParams } from '../admin/index.ts';
import { getUser } from '../users/index.ts';
import { listFactors, mustUseMfa, resetFactors, setTeamRequiresMfa, teamRequiresMfa } from './factors.service.ts';
import { factorView, ResetResult, TeamMfa, UserMfa } from './mfa.admin-schemas.ts';
import { countUnusedRecoveryCodes } from './recovery-codes.service.ts';

export async function mfaAdminRoutes(app: AdminApp, deps: AdminDeps): Promise<void> {
  app.get('/users/:id/mfa', {
    schema: { ...adminDoc('admin_users_mfa', 'The user\'s second factors (authenticator apps, passkeys) and unused recovery codes', { 200: UserMfa }), params: IdParams },
  }, async (request) => {
    const user = await getUser(deps, request.params.id);
    const [factors, unused, required] = await Promise.all([listFactors(deps, user.id), countUnusedRecoveryCodes(deps, user.id), mustUseMfa(deps, user)]);
    return { factors: factors.map(factorView), unused_recovery_codes: unused, required };
  });

  app.post('/users/:id/mfa/reset', {
    schema: { ...adminDoc('admin_users_mfa_reset', 'Remove every second factor and recovery code of the user: they enrol again at their next sign-in', { 200: ResetResult }), params: IdParams },
  }, async (request) => {
    const user = await getUser(deps, request.params.id);
    return { removed_factors: await resetFactors(deps, actorOf(request), user) };
  });

  app.get('/teams/:id/mfa', {
    schema: { ...adminDoc('admin_teams_mfa', 'Whether the team\'s members must sign in with a second factor', { 200: TeamMfa }), params: IdParams },
  }, async (request) => ({ requires_mfa: await teamRequiresMfa(deps, request.params.id) }));

  app.put('/teams/:id/mfa', {
    schema: { ...adminDoc('admin_teams_mfa_set', 'Require (or stop requiring) a second factor of the team\'s members', { 200: TeamMfa }), params: IdParams, body: TeamMfa },
  }, async (request) => ({ requires_mfa: await setTeamRequiresMfa(deps, actorOf(request), request.params.id, request.body.requires_mfa) }));
}
