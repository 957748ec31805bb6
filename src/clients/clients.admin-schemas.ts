// The admin API's OAuth clients (/api/admin/clients): schemas and the view (never the secret).
import { Type, type Static } from 'typebox';
import { Nullable, DateTime, Line, pageSchema, iso } from '../admin/index.ts';
import type { ClientRow } from './clients.service.ts';

export const ClientView = Type.Object({
  id: Type.Integer(), client_id: Type.String(), name: Type.String(), client_type: Type.String(),
  grant_types: Type.Array(Type.String()), response_types: Type.Array(Type.String()),
  redirect_uris: Type.Array(Type.String()), post_logout_redirect_uris: Type.Array(Type.String()),
  scope: Type.String(), jwt_alg: Type.String(), require_consent: Type.Boolean(), owner_id: Nullable(Type.Integer()),
  has_secret: Type.Boolean(), created_at: DateTime, updated_at: DateTime,
});
export const ClientPage = pageSchema(ClientView);
export const ClientInput = Type.Object({
  name: Line({ minLength: 1, maxLength: 100 }),
  client_type: Type.String({ enum: ['confidential', 'public'] }),
  grant_type: Type.String({ enum: ['authorization_code', 'client_credentials'] }),
  redirect_uris: Type.Optional(Type.Array(Line({ maxLength: 2000 }), { maxItems: 50 })),
  post_logout_redirect_uris: Type.Optional(Type.Array(Line({ maxLength: 2000 }), { maxItems: 50 })),
  scope: Type.Optional(Line({ maxLength: 2000, description: 'Space-separated; `admin` lets the client call this API.' })),
  require_consent: Type.Optional(Type.Boolean()),
  jwt_alg: Type.Optional(Type.String({ enum: ['RS256', 'HS256'] })),
}, { additionalProperties: false });
export const ClientCreated = Type.Object({ ...ClientView.properties, client_secret: Nullable(Type.String({ description: 'Shown this once; null for a public client.' })) });
export const ClientSecret = Type.Object({ client_id: Type.String(), client_secret: Type.String({ description: 'Shown this once.' }) });

export const clientView = (c: ClientRow) => ({
  id: c.id, client_id: c.clientId, name: c.name, client_type: c.clientType, grant_types: c.grantTypes, response_types: c.responseTypes,
  redirect_uris: c.redirectUris, post_logout_redirect_uris: c.postLogoutRedirectUris, scope: c.scope, jwt_alg: c.jwtAlg,
  require_consent: c.requireConsent, owner_id: c.ownerId, has_secret: c.clientSecretSealed !== null,
  created_at: iso(c.createdAt), updated_at: iso(c.updatedAt),
});

export type ClientInputBody = Static<typeof ClientInput>;
