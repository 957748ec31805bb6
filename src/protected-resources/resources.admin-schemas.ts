// The admin API's protected resources and access rules (/api/admin/resources, /api/admin/access-rules): schemas and views.
import { Type } from 'typebox';
import { Nullable, DateTime, Line, Id, pageSchema, MULTI_LINE, iso } from '../admin/schema-kit.ts';
import type { AccessRule, Resource } from './resources.service.ts';

export const ResourceView = Type.Object({
  id: Type.Integer(), slug: Type.String(), url: Nullable(Type.String()), description: Nullable(Type.String()), type: Nullable(Type.String()),
  created_at: DateTime, updated_at: DateTime,
});
export const ResourcePage = pageSchema(ResourceView);
export const ResourceInput = Type.Object({
  slug: Line({ minLength: 1, maxLength: 50 }),
  url: Type.Optional(Nullable(Line({ maxLength: 2000 }))),
  description: Type.Optional(Nullable(Type.String({ maxLength: 10000, pattern: MULTI_LINE }))),
  type: Type.Optional(Nullable(Line({ maxLength: 100, description: '`Upstream Service` (proxied to `url`) or empty.' }))),
}, { additionalProperties: false });
export const AccessRuleView = Type.Object({ id: Type.Integer(), resource_id: Type.Integer(), role_id: Type.Integer(), active: Type.Boolean(), created_at: DateTime });
export const AccessRulePage = pageSchema(AccessRuleView);
export const AccessRuleCreate = Type.Object({ resource_id: Id, role_id: Id, active: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export const AccessRuleUpdate = Type.Object({
  resource_id: Type.Optional(Id), role_id: Type.Optional(Id), active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false, minProperties: 1 });

export const resourceView = (r: Resource) => ({
  id: r.id, slug: r.slug, url: r.url, description: r.description, type: r.type, created_at: iso(r.createdAt), updated_at: iso(r.updatedAt),
});

export const accessRuleView = (r: AccessRule) => ({
  id: r.id, resource_id: r.resourceId, role_id: r.roleId, active: r.active, created_at: iso(r.createdAt),
});
