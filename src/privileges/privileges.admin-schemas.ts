// The admin API's teams and roles (/api/admin/teams, /api/admin/roles): schemas and views.
import { Type } from 'typebox';
import { DateTime, NameBody, pageSchema, iso } from '../admin/schema-kit.ts';
import type { Role } from './roles.service.ts';
import type { Team } from './teams.service.ts';

export const TeamView = Type.Object({ id: Type.Integer(), name: Type.String(), created_at: DateTime, updated_at: DateTime });
export const TeamDetail = Type.Object({
  ...TeamView.properties,
  members: Type.Array(Type.Object({ id: Type.Integer(), email: Type.String() })),
  roles: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
});
export const TeamPage = pageSchema(TeamView);
export const NameInput = Type.Object({ name: NameBody }, { additionalProperties: false });
export const RoleView = Type.Object({ id: Type.Integer(), name: Type.String(), created_at: DateTime });
export const RoleDetail = Type.Object({ ...RoleView.properties, user_ids: Type.Array(Type.Integer()), team_ids: Type.Array(Type.Integer()) });
export const RolePage = pageSchema(RoleView);

export const teamView = (t: Team) => ({ id: t.id, name: t.name, created_at: iso(t.createdAt), updated_at: iso(t.updatedAt) });
export const roleView = (r: Role) => ({ id: r.id, name: r.name, created_at: iso(r.createdAt) });
