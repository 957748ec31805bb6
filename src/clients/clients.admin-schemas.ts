// The admin API's OAuth clients (/api/admin/clients): schemas and the view (never the secret).
import { Type, type Static } from 'typebox';
import { Nullable, DateTime, Line, pageSchema, iso } from '../admin/schema-kit.ts';
import type { ClientRow } from './clients.service.ts';
import { GRANT_TYPES, JWT_ALGS, type ProtocolSettings } from './clients.validation.ts';

/** #24: the client's other registered metadata, under its RFC 7591 / OIDC names, and DJAM's groups_claim and fapi2. */
const ProtocolFields = {
  backchannel_logout_uri: Type.Optional(Nullable(Line({ maxLength: 2000, description: 'OIDC Back-Channel Logout: where DJAM POSTs a logout token when the user signs out.' }))),
  backchannel_logout_session_required: Type.Optional(Type.Boolean({ description: 'The logout token (and the id token) carry `sid`.' })),
  frontchannel_logout_uri: Type.Optional(Nullable(Line({ maxLength: 2000, description: 'Stored and shown; front-channel logout is not sent (see README, Protocol support).' }))),
  dpop_bound_access_tokens: Type.Optional(Type.Boolean({ description: 'RFC 9449: the client\'s access tokens are DPoP-bound; without a proof they are refused.' })),
  require_pushed_authorization_requests: Type.Optional(Type.Boolean({ description: 'RFC 9126: authorization requests must be pushed first.' })),
  jwks: Type.Optional(Nullable(Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 20 }) }, { description: 'The client\'s public keys (JAR request objects, private_key_jwt).' }))),
  jwks_uri: Type.Optional(Nullable(Line({ maxLength: 2000 }))),
  authorization_signed_response_alg: Type.Optional(Nullable(Type.String({ enum: ['RS256', 'PS256', 'ES256', 'EdDSA'], description: 'JARM: the signature of authorization responses.' }))),
  groups_claim: Type.Optional(Type.String({ enum: ['flat', 'nested'], description: '`groups` as ["team1","team2"] (flat, new clients) or the original\'s [["team1","team2"]] (nested).' })),
  fapi2: Type.Optional(Type.Boolean({ description: 'FAPI 2.0 Security Profile: PAR, PKCE, DPoP-bound tokens, 60 s codes.' })),
  token_exchange_audiences: Type.Optional(Nullable(Type.Array(Line({ maxLength: 2000 }), { maxItems: 50, description: '#24 RFC 8693: the APIs (DJAM_OIDC_RESOURCE_SERVERS) this client may exchange users\' tokens for.' }))),
  default_acr_values: Type.Optional(Nullable(Type.Array(Type.String({ enum: ['urn:djam:acr:pwd', 'urn:djam:acr:mfa'] }), { maxItems: 2, description: '#22: ["urn:djam:acr:mfa"]: every sign-in to this client passes a second factor (step-up), as if it asked acr_values=urn:djam:acr:mfa.' }))),
};

export const ClientView = Type.Object({
  id: Type.Integer(), client_id: Type.String(), name: Type.String(), client_type: Type.String(),
  grant_types: Type.Array(Type.String()), response_types: Type.Array(Type.String()),
  redirect_uris: Type.Array(Type.String()), post_logout_redirect_uris: Type.Array(Type.String()),
  scope: Type.String(), jwt_alg: Type.String(), require_consent: Type.Boolean(), owner_id: Nullable(Type.Integer()),
  has_secret: Type.Boolean(), created_at: DateTime, updated_at: DateTime,
  id_token_signed_response_alg: Type.String(), ...ProtocolFields,
});
export const ClientPage = pageSchema(ClientView);
export const ClientInput = Type.Object({
  name: Line({ minLength: 1, maxLength: 100 }),
  client_type: Type.String({ enum: ['confidential', 'public'] }),
  grant_type: Type.String({ enum: [...GRANT_TYPES] }),
  redirect_uris: Type.Optional(Type.Array(Line({ maxLength: 2000 }), { maxItems: 50 })),
  post_logout_redirect_uris: Type.Optional(Type.Array(Line({ maxLength: 2000 }), { maxItems: 50 })),
  scope: Type.Optional(Line({ maxLength: 2000, description: 'Space-separated; `admin` lets the client call this API.' })),
  require_consent: Type.Optional(Type.Boolean()),
  jwt_alg: Type.Optional(Type.String({ enum: [...JWT_ALGS] })),
  id_token_signed_response_alg: Type.Optional(Type.String({ enum: [...JWT_ALGS], description: 'The registered name of jwt_alg.' })),
  ...ProtocolFields,
}, { additionalProperties: false });
export const ClientCreated = Type.Object({ ...ClientView.properties, client_secret: Nullable(Type.String({ description: 'Shown this once; null for a public client.' })) });
export const ClientSecret = Type.Object({ client_id: Type.String(), client_secret: Type.String({ description: 'Shown this once.' }) });

export const clientView = (c: ClientRow) => ({
  id: c.id, client_id: c.clientId, name: c.name, client_type: c.clientType, grant_types: c.grantTypes, response_types: c.responseTypes,
  redirect_uris: c.redirectUris, post_logout_redirect_uris: c.postLogoutRedirectUris, scope: c.scope, jwt_alg: c.jwtAlg,
  require_consent: c.requireConsent, owner_id: c.ownerId, has_secret: c.clientSecretSealed !== null,
  created_at: iso(c.createdAt), updated_at: iso(c.updatedAt),
  id_token_signed_response_alg: c.jwtAlg, ...protocolView(c.protocolMetadata as ProtocolSettings),
});

function protocolView(p: ProtocolSettings) {
  return {
    backchannel_logout_uri: p.backchannel_logout_uri ?? null, backchannel_logout_session_required: p.backchannel_logout_session_required ?? false,
    frontchannel_logout_uri: p.frontchannel_logout_uri ?? null, dpop_bound_access_tokens: p.dpop_bound_access_tokens ?? false,
    require_pushed_authorization_requests: p.require_pushed_authorization_requests ?? false, jwks: p.jwks ?? null, jwks_uri: p.jwks_uri ?? null,
    authorization_signed_response_alg: p.authorization_signed_response_alg ?? null, groups_claim: p.groups_claim === 'flat' ? 'flat' : 'nested', fapi2: p.fapi2 ?? false,
    default_acr_values: p.default_acr_values ?? null, token_exchange_audiences: p.token_exchange_audiences ?? null,
  };
}

const PROTOCOL_NAMES = Object.keys(ProtocolFields) as Array<keyof ProtocolSettings>;

/** The protocol settings a request names (null clears one); undefined when it names none. */
export function protocolInput(body: Record<string, unknown>): ProtocolSettings | undefined {
  const named = PROTOCOL_NAMES.filter((k) => body[k] !== undefined);
  if (!named.length) return undefined;
  return Object.fromEntries(named.map((k) => [k, body[k] === null ? undefined : body[k]])) as ProtocolSettings;
}

export type ClientInputBody = Static<typeof ClientInput>;
