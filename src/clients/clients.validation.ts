// Rules every client must satisfy, whichever surface (page, CLI, admin API) registers it.
import { AppError } from '../errors.ts';

export interface ClientInput {
  name: string;
  clientType: 'confidential' | 'public';
  grantType: 'authorization_code' | 'client_credentials';
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  scope?: string;
  requireConsent?: boolean;
  jwtAlg?: 'RS256' | 'HS256';
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

export function validateClientInput(input: ClientInput): ClientInput {
  const errors: Record<string, string> = {};
  const name = (input.name ?? '').trim();
  if (!name) errors.name = 'This field is required.';
  else if (name.length > 100) errors.name = 'Ensure this field has no more than 100 characters.';
  if (!['confidential', 'public'].includes(input.clientType)) errors.client_type = 'Choose confidential or public.';
  if (!['authorization_code', 'client_credentials'].includes(input.grantType)) errors.grant_type = 'Choose authorization_code or client_credentials.';
  if (input.grantType === 'client_credentials' && input.clientType === 'public') {
    errors.client_type = 'The client-credentials grant needs a confidential client.';
  }
  const uris = [...new Set(input.redirectUris.map((u) => u.trim()).filter(Boolean))];
  if (input.grantType === 'authorization_code' && uris.length === 0) errors.redirect_uris = 'The authorization-code grant needs at least one redirect URI.';
  const uriProblem = [...uris, ...(input.postLogoutRedirectUris ?? [])].map(redirectUriProblem).find(Boolean);
  if (uriProblem) errors.redirect_uris = uriProblem;
  const scope = input.scope?.split(/\s+/).filter(Boolean);
  if (scope?.some((s) => !SCOPE_TOKEN.test(s))) errors.scope = 'Scopes are space-separated words without quotes or backslashes.';
  if (input.jwtAlg && !['RS256', 'HS256'].includes(input.jwtAlg)) errors.jwt_alg = 'Choose RS256 or HS256.';
  if (Object.keys(errors).length) throw new AppError('VALIDATION_FAILED', { details: { fields: errors } });
  return { ...input, name, redirectUris: uris, scope: scope?.length ? [...new Set(scope)].join(' ') : undefined };
}
