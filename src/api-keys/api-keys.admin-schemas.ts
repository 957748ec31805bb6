// The admin API's API keys (/api/admin/api-keys): schemas and the view (a preview of the key, never its value).
import { Type } from 'typebox';
import { Nullable, DateTime, Id, pageSchema, iso } from '../admin/schema-kit.ts';
import type { AdminKeyView } from './api-keys-admin.service.ts';

export const ApiKeyView = Type.Object({
  id: Type.Integer(), key_preview: Type.String({ description: 'The first characters of the key; the whole value is shown once, at creation.' }),
  user_id: Type.Integer(), user_email: Type.String(), scope: Type.String(), revoked: Type.Boolean(), expiry: DateTime,
  created_at: DateTime, last_modified: Nullable(DateTime), last_used_at: Nullable(DateTime),
});
export const ApiKeyPage = pageSchema(ApiKeyView);
const KeyScope = Type.String({ enum: ['resource', 'management'] });
export const ApiKeyCreate = Type.Object({
  user_id: Id, scope: KeyScope,
  expiry: Type.Optional(Type.String({ format: 'date-time', description: 'Default: 30 days from now.' })),
  revoked: Type.Optional(Type.Boolean()),
  key: Type.Optional(Type.String({ format: 'uuid', description: 'The value; a random UUID by default.' })),
}, { additionalProperties: false });
export const ApiKeyCreated = Type.Object({ ...ApiKeyView.properties, key: Type.String({ description: 'The value: shown this once.' }) });
export const ApiKeyUpdate = Type.Object({
  revoked: Type.Optional(Type.Boolean()), expiry: Type.Optional(Type.String({ format: 'date-time' })),
}, { additionalProperties: false, minProperties: 1 });
export const BulkRevoke = Type.Object({ ids: Type.Array(Id, { minItems: 1, maxItems: 1000, uniqueItems: true }) }, { additionalProperties: false });
export const BulkRevoked = Type.Object({ revoked: Type.Array(Type.Integer()) });

export const apiKeyView = (k: AdminKeyView) => ({
  id: k.id, key_preview: `${k.key.slice(0, 8)}…`, user_id: k.userId, user_email: k.userEmail, scope: k.scope, revoked: k.revoked,
  expiry: iso(k.expiry), created_at: iso(k.createdAt), last_modified: iso(k.lastModified), last_used_at: iso(k.lastUsedAt),
});
