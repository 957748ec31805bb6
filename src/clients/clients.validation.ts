// Rules every client must satisfy, whichever surface (page, CLI, admin API) registers it.
import { AppError } from '../errors.ts';

/**
 * #24: the client's other registered metadata, under its RFC names (stored as given in
 * oauth_clients.protocol_metadata), and DJAM's `groups_claim` (flat | nested) and `fapi2`.
 */
export interface ProtocolSettings {
  backchannel_logout_uri?: string;
  backchannel_logout_session_required?: boolean;
  frontchannel_logout_uri?: string;
  dpop_bound_access_tokens?: boolean;
  require_pushed_authorization_requests?: boolean;
  jwks?: { keys: Record<string, unknown>[] };
  jwks_uri?: string;
  authorization_signed_response_alg?: string;
  groups_claim?: 'flat' | 'nested';
  fapi2?: boolean;
  /** #22: OIDC Registration's default_acr_values; ["urn:djam:acr:mfa"] makes every sign-in to the client a two-factor one. */
  default_acr_values?: string[];
  /** #24 RFC 8693: the APIs (DJAM_OIDC_RESOURCE_SERVERS) this client may exchange users' tokens for. */
  token_exchange_audiences?: string[];
}

/** #22: the authentication levels of DJAM's sign-ins (oidc/acr.ts). */
const ACR_VALUES: readonly string[] = ['urn:djam:acr:pwd', 'urn:djam:acr:mfa'];

export const GRANT_TYPES = ['authorization_code', 'client_credentials', 'device_code'] as const;
export const JWT_ALGS = ['RS256', 'HS256'] as const;

export interface ClientInput {
  name: string;
  clientType: 'confidential' | 'public';
  grantType: (typeof GRANT_TYPES)[number];
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  scope?: string;
  requireConsent?: boolean;
  jwtAlg?: (typeof JWT_ALGS)[number];
  protocol?: ProtocolSettings;
}

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 §3.3 scope-token characters

/** RFC 6749 §3.1.2: absolute URI without fragment; http only for loopback (OAuth 2.1 / BCP 212). */
function redirectUriProblem(uri: string): string | undefined {
  const url = URL.parse(uri);
  if (!url) return `"${uri}" is not an absolute URL.`;
  if (url.hash) return `"${uri}" must not contain a fragment.`;
  if (url.protocol === 'javascript:' || url.protocol === 'data:') return `"${uri}" uses a forbidden scheme.`;
  return undefined;
}

/** A back-channel or front-channel logout URI: absolute, http(s), no fragment (OIDC Back-Channel Logout §2.2). */
function logoutUriProblem(uri: unknown): string | undefined {
  const url = typeof uri === 'string' ? URL.parse(uri) : null;
  if (!url || !['https:', 'http:'].includes(url.protocol)) return 'Give an absolute http(s) URL.';
  if (url.hash) return 'The URL must not contain a fragment.';
  return undefined;
}

const BOOLEAN_SETTINGS = ['backchannel_logout_session_required', 'dpop_bound_access_tokens', 'require_pushed_authorization_requests', 'fapi2'] as const;

function protocolProblems(p: ProtocolSettings, input: ClientInput): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const name of ['backchannel_logout_uri', 'frontchannel_logout_uri', 'jwks_uri'] as const) {
    const problem = p[name] === undefined ? undefined : logoutUriProblem(p[name]);
    if (problem) errors[name] = problem;
  }
  for (const name of BOOLEAN_SETTINGS) if (p[name] !== undefined && typeof p[name] !== 'boolean') errors[name] = 'Give true or false.';
  if (p.jwks !== undefined && (typeof p.jwks !== 'object' || p.jwks === null || !Array.isArray(p.jwks.keys))) errors.jwks = 'Give a JWK Set: {"keys": [...]}.';
  if (p.jwks !== undefined && p.jwks_uri !== undefined) errors.jwks_uri = 'Give jwks or jwks_uri, not both.';
  if (p.groups_claim !== undefined && !['flat', 'nested'].includes(p.groups_claim)) errors.groups_claim = 'Choose flat or nested.';
  if (p.authorization_signed_response_alg !== undefined && !['RS256', 'ES256', 'EdDSA', 'PS256'].includes(p.authorization_signed_response_alg)) {
    errors.authorization_signed_response_alg = 'Choose RS256, PS256, ES256 or EdDSA.';
  }
  if (p.fapi2 && input.clientType === 'public') errors.fapi2 = 'FAPI 2.0 needs a confidential client.';
  if (p.token_exchange_audiences !== undefined) {
    if (!Array.isArray(p.token_exchange_audiences) || p.token_exchange_audiences.some((a) => typeof a !== 'string' || !URL.parse(a))) errors.token_exchange_audiences = 'Give a list of API URIs.';
    else if (input.clientType === 'public') errors.token_exchange_audiences = 'Token exchange needs a confidential client.';
  }
  if (p.default_acr_values !== undefined && (!Array.isArray(p.default_acr_values) || p.default_acr_values.some((v) => !ACR_VALUES.includes(v)))) {
    errors.default_acr_values = `Give a list of ${ACR_VALUES.join(', ')}.`;
  }
  return errors;
}

export function validateClientInput(input: ClientInput): ClientInput {
  const errors: Record<string, string> = {};
  const name = (input.name ?? '').trim();
  if (!name) errors.name = 'This field is required.';
  else if (name.length > 100) errors.name = 'Ensure this field has no more than 100 characters.';
  if (!['confidential', 'public'].includes(input.clientType)) errors.client_type = 'Choose confidential or public.';
  if (!GRANT_TYPES.includes(input.grantType)) errors.grant_type = 'Choose authorization_code, client_credentials or device_code.';
  if (input.grantType === 'client_credentials' && input.clientType === 'public') {
    errors.client_type = 'The client-credentials grant needs a confidential client.';
  }
  const uris = [...new Set(input.redirectUris.map((u) => u.trim()).filter(Boolean))];
  if (input.grantType === 'authorization_code' && uris.length === 0) errors.redirect_uris = 'The authorization-code grant needs at least one redirect URI.';
  const uriProblem = [...uris, ...(input.postLogoutRedirectUris ?? [])].map(redirectUriProblem).find(Boolean);
  if (uriProblem) errors.redirect_uris = uriProblem;
  const scope = input.scope?.split(/\s+/).filter(Boolean);
  if (scope?.some((s) => !SCOPE_TOKEN.test(s))) errors.scope = 'Scopes are space-separated words without quotes or backslashes.';
  if (input.jwtAlg && !JWT_ALGS.includes(input.jwtAlg)) errors.jwt_alg = `Choose ${JWT_ALGS.join(' or ')}.`;
  Object.assign(errors, protocolProblems(input.protocol ?? {}, input));
  if (Object.keys(errors).length) throw new AppError('VALIDATION_FAILED', { details: { fields: errors } });
  return { ...input, name, redirectUris: uris, scope: scope?.length ? [...new Set(scope)].join(' ') : undefined };
}
