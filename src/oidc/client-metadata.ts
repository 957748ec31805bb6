// Maps a client-registry row to oidc-provider client metadata.
import type { ClientRow } from '../clients/index.ts';
import { unseal, type SecretKeys } from '../crypto/keys.ts';
import { supportedScopes } from './scopes.ts';

/**
 * #24: registered metadata a client may carry beside the original's columns (oauth_clients.
 * protocol_metadata), under its RFC names; the provider validates each as it loads the client.
 */
const PROTOCOL_METADATA = [
  'backchannel_logout_uri', 'backchannel_logout_session_required',
  'dpop_bound_access_tokens', 'require_pushed_authorization_requests', 'jwks', 'jwks_uri',
  'authorization_signed_response_alg', 'request_object_signing_alg', 'require_signed_request_object',
  'token_endpoint_auth_method',
  // #22: ["urn:djam:acr:mfa"]: the client always asks for a second factor (step-up, oidc/acr.ts).
  'default_acr_values',
] as const;

/** DJAM's own per-client settings (#24), carried to the provider under a URN. */
export const DJAM_CLIENT_METADATA = ['urn:djam:groups_claim', 'urn:djam:fapi2', 'urn:djam:frontchannel_logout_uri', 'urn:djam:token_exchange_audiences'];

const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

/**
 * #24: FAPI 2.0 Security Profile per client (`fapi2`): PAR required, PKCE, DPoP-bound tokens
 * (set with it by every surface) and codes that live 60 s; the provider adds `iss` to every
 * authorization response (RFC 9207).
 */
export function isFapi2(client: object | undefined): boolean {
  return (client as Record<string, unknown> | undefined)?.['urn:djam:fapi2'] === true;
}

export function authorizationCodeTtl(_ctx: unknown, _code: unknown, client: object): number {
  return isFapi2(client) ? 60 : 600;
}

function protocolMetadataOf(row: ClientRow): Record<string, unknown> {
  const stored = row.protocolMetadata ?? {};
  const out: Record<string, unknown> = {};
  for (const name of PROTOCOL_METADATA) if (stored[name] !== undefined && stored[name] !== null) out[name] = stored[name];
  // New clients get the flat groups claim; rows without the setting (imported) keep the original's nested one.
  out['urn:djam:groups_claim'] = stored.groups_claim === 'flat' ? 'flat' : 'nested';
  out['urn:djam:fapi2'] = stored.fapi2 === true;
  if (stored.fapi2 === true) Object.assign(out, { require_pushed_authorization_requests: true, dpop_bound_access_tokens: true });
  if (typeof stored.frontchannel_logout_uri === 'string') out['urn:djam:frontchannel_logout_uri'] = stored.frontchannel_logout_uri;
  if (Array.isArray(stored.token_exchange_audiences) && stored.token_exchange_audiences.length) out['urn:djam:token_exchange_audiences'] = stored.token_exchange_audiences;
  return out;
}

export function toClientMetadata(keys: SecretKeys, row: ClientRow): Record<string, unknown> {
  const scopes = row.scope.split(/\s+/).filter(Boolean);
  const isPublic = row.clientType === 'public';
  const protocol = protocolMetadataOf(row);
  return {
    client_id: row.clientId,
    ...(isPublic || !row.clientSecretSealed ? {} : { client_secret: unseal(keys, row.clientSecretSealed) }),
    client_name: row.name,
    // #24: a client registered for token-exchange audiences may use RFC 8693's grant.
    grant_types: protocol['urn:djam:token_exchange_audiences'] ? [...row.grantTypes, TOKEN_EXCHANGE_GRANT] : row.grantTypes,
    response_types: row.responseTypes,
    redirect_uris: row.redirectUris,
    post_logout_redirect_uris: row.postLogoutRedirectUris,
    token_endpoint_auth_method: isPublic ? 'none' : 'client_secret_basic',
    // The provider accepts only scopes it knows; DJAM's list may also name client ids (docs/compatibility.md §3.5).
    scope: scopes.filter((s) => supportedScopes.has(s)).join(' '),
    id_token_signed_response_alg: row.jwtAlg,
    'urn:djam:scope': scopes.join(' '),
    'urn:djam:require_consent': row.requireConsent,
    ...protocol,
    ...(isPublic ? { token_endpoint_auth_method: 'none' } : {}),
  };
}
