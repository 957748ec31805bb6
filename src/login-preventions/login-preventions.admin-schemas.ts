// The admin API's login preventions (/api/admin/login-preventions): schemas and the view.
import { Type } from 'typebox';
import { DateTime, Id, pageSchema, iso } from '../admin/schema-kit.ts';
import type { LoginPreventionView as LoginPreventionRecord } from './login-preventions-admin.service.ts';

export const LoginPreventionView = Type.Object({
  id: Type.Integer(), client: Type.Integer({ description: 'Row id of the client.' }), client_id: Type.String(),
  team_ids: Type.Array(Type.Integer(), { description: 'Members of only these teams may not sign in to the client.' }), created_at: DateTime,
});
export const LoginPreventionPage = pageSchema(LoginPreventionView);
export const LoginPreventionCreate = Type.Object({
  client: Id, team_ids: Type.Array(Id, { maxItems: 1000, uniqueItems: true }),
}, { additionalProperties: false });
export const LoginPreventionUpdate = Type.Object({ team_ids: LoginPreventionCreate.properties.team_ids }, { additionalProperties: false });

export const loginPreventionView = (p: LoginPreventionRecord) => ({
  id: p.id, client: p.clientRowId, client_id: p.clientId, team_ids: p.teamIds, created_at: iso(p.createdAt),
});
