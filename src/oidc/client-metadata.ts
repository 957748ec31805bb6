// Maps a client-registry row to oidc-provider client metadata.
import type { ClientRow } from '../clients/index.ts';
import { unseal, type SecretKeys } from '../crypto/keys.ts';
import { supportedScopes } from './scopes.ts';

export function toClientMetadata(keys: SecretKeys, row: ClientRow): Record<string, unknown> {
  const scopes = row.scope.split(/\s+/).filter(Boolean);
  const isPublic = row.clientType === 'public';
  return {
    client_id: row.clientId,
    ...(isPublic || !row.clientSecretSealed ? {} : { client_secret: unseal(keys, row.clientSecretSealed) }),
    client_name: row.name,
    grant_types: row.grantTypes,
    response_types: row.responseTypes,
    redirect_uris: row.redirectUris,
    post_logout_redirect_uris: row.postLogoutRedirectUris,
    token_endpoint_auth_method: isPublic ? 'none' : 'client_secret_basic',
    // The provider accepts only scopes it knows; DJAM's list may also name client ids (docs/compatibility.md §3.5).
    scope: scopes.filter((s) => supportedScopes.has(s)).join(' '),
    id_token_signed_response_alg: row.jwtAlg,
    'urn:djam:scope': scopes.join(' '),
    'urn:djam:require_consent': row.requireConsent,
  };
}
