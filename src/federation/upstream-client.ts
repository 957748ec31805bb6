// The relying-party side of a sign-in through an upstream provider, all through openid-client
// (discovery, PKCE, state, nonce, id-token validation, userinfo); nothing of the protocol is
// written here. Each failure becomes one of the catalogue's IDP_* errors, shown as a page.
import * as oidc from 'openid-client';
import type { Config } from '../config.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { AppError } from '../errors.ts';
import { clientSecretOf, GITHUB_ISSUER, type IdentityProvider } from './providers.service.ts';

interface Deps { config: Config; keys: SecretKeys }

const DISCOVERY_TTL_MS = 10 * 60 * 1000;
/** Discovered configurations by provider row and version: a changed row is discovered again. */
const configurations = new Map<string, { config: oidc.Configuration; expires: number }>();

function callbackUrl(config: Config, slug: string): string {
  return `${config.baseUrl}/accounts/idp/${slug}/callback/`;
}

/** A network failure, a timeout or a malformed answer of the upstream: not the user's fault. */
function unavailable(cause: unknown): AppError {
  return new AppError('IDP_UNAVAILABLE', { cause });
}

const isGitHub = (idp: IdentityProvider) => idp.issuer === GITHUB_ISSUER;

/** github.com and api.github.com, or the one base URL of DJAM_IDP_GITHUB_URL (a fake GitHub in tests). */
function gitHubUrls(config: Config): { web: string; api: string } {
  const override = config.DJAM_IDP_GITHUB_URL?.replace(/\/+$/, '');
  return override ? { web: override, api: override } : { web: GITHUB_ISSUER, api: 'https://api.github.com' };
}

/**
 * GitHub's preset: plain OAuth 2.0 without discovery, so openid-client gets the endpoints as
 * server metadata; the client authenticates in the body as GitHub documents.
 */
function gitHubConfiguration(deps: Deps, idp: IdentityProvider): oidc.Configuration {
  const { web } = gitHubUrls(deps.config);
  const server: oidc.ServerMetadata = { issuer: GITHUB_ISSUER, authorization_endpoint: `${web}/login/oauth/authorize`, token_endpoint: `${web}/login/oauth/access_token` };
  const config = new oidc.Configuration(server, idp.clientId, undefined, oidc.ClientSecretPost(clientSecretOf(deps.keys, idp)));
  config.timeout = deps.config.DJAM_IDP_TIMEOUT_SECONDS;
  if (deps.config.DJAM_IDP_ALLOW_HTTP && web.startsWith('http:')) oidc.allowInsecureRequests(config);
  return config;
}

/**
 * The provider's openid-client configuration: discovery once in a while, `client_secret_basic`
 * unless the upstream's discovery allows only `client_secret_post`.
 */
async function upstreamConfiguration(deps: Deps, idp: IdentityProvider): Promise<oidc.Configuration> {
  if (isGitHub(idp)) return gitHubConfiguration(deps, idp);
  const key = `${idp.id}:${idp.updatedAt.getTime()}`;
  const cached = configurations.get(key);
  if (cached && cached.expires > Date.now()) return cached.config;
  const insecure = deps.config.DJAM_IDP_ALLOW_HTTP && idp.issuer.startsWith('http:');
  const options = { timeout: deps.config.DJAM_IDP_TIMEOUT_SECONDS, ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}) };
  let discovered: oidc.Configuration;
  try {
    discovered = await oidc.discovery(new URL(idp.issuer), idp.clientId, undefined, undefined, options);
  } catch (cause) {
    throw unavailable(cause);
  }
  const server = discovered.serverMetadata();
  const methods = server.token_endpoint_auth_methods_supported;
  const secret = clientSecretOf(deps.keys, idp);
  const auth = methods && methods.includes('client_secret_post') && !methods.includes('client_secret_basic')
    ? oidc.ClientSecretPost(secret) : oidc.ClientSecretBasic(secret);
  const config = new oidc.Configuration(server, idp.clientId, undefined, auth);
  config.timeout = deps.config.DJAM_IDP_TIMEOUT_SECONDS;
  if (insecure) oidc.allowInsecureRequests(config);
  // openid-client skips the id token's signature when it comes straight from the token endpoint
  // (OIDC Core 3.1.3.7: TLS vouches for the issuer); DJAM checks it against the upstream's JWKS
  // too, so a forged or wrongly keyed token is refused whatever the transport (#23).
  if (server.jwks_uri) oidc.enableNonRepudiationChecks(config);
  for (const [k, v] of configurations) if (k.startsWith(`${idp.id}:`) || v.expires <= Date.now()) configurations.delete(k);
  configurations.set(key, { config, expires: Date.now() + DISCOVERY_TTL_MS });
  return config;
}

/** What the callback needs to check the answer, kept in a sealed cookie between the two requests. */
export interface PendingUpstream { slug: string; state: string; nonce: string; verifier: string; next?: string; linkUserId?: number }

export async function startUpstreamSignIn(deps: Deps, idp: IdentityProvider, extra: { next?: string; linkUserId?: number }): Promise<{ url: string; pending: PendingUpstream }> {
  const config = await upstreamConfiguration(deps, idp);
  const verifier = oidc.randomPKCECodeVerifier();
  const pending: PendingUpstream = { slug: idp.slug, state: oidc.randomState(), nonce: oidc.randomNonce(), verifier, ...extra };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: callbackUrl(deps.config, idp.slug), scope: idp.scope, state: pending.state, ...(isGitHub(idp) ? {} : { nonce: pending.nonce }),
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    ...(extra.linkUserId ? { prompt: 'login' } : {}),
  });
  return { url: url.href, pending };
}

export type UpstreamClaims = Record<string, unknown> & { sub: string };

/**
 * The callback: the code exchanged (PKCE verifier, `state` and `nonce` checked, the id token's
 * signature, issuer, audience and times validated by openid-client), then userinfo for the
 * claims the id token left out. Returns the id token's claims overlaid with userinfo's.
 */
export async function finishUpstreamSignIn(deps: Deps, idp: IdentityProvider, pending: PendingUpstream, query: string): Promise<{ claims: UpstreamClaims; idToken?: string }> {
  const config = await upstreamConfiguration(deps, idp);
  const current = new URL(`${callbackUrl(deps.config, idp.slug)}${query ? `?${query}` : ''}`);
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  if (isGitHub(idp)) {
    try {
      tokens = await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: pending.verifier, expectedState: pending.state });
      return { claims: await gitHubClaims(deps, config, tokens.access_token) };
    } catch (cause) {
      throw gitHubFailure(cause);
    }
  }
  try {
    tokens = await oidc.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true,
    });
  } catch (cause) {
    throw failureOf(cause);
  }
  const idClaims = tokens.claims() as UpstreamClaims | undefined;
  if (!idClaims?.sub) throw new AppError('IDP_SIGN_IN_FAILED', { message: 'The identity provider sent no id token.' });
  let info: Record<string, unknown> = {};
  if (config.serverMetadata().userinfo_endpoint) {
    try {
      info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    } catch (cause) {
      throw failureOf(cause);
    }
  }
  return { claims: { ...idClaims, ...info, sub: idClaims.sub }, idToken: tokens.id_token };
}

/**
 * A GitHub user as OpenID claims: the subject is the numeric id (a login can be renamed), the
 * e-mail the primary address of /user/emails with its `verified` flag. Read through
 * openid-client's protected-resource request.
 */
async function gitHubClaims(deps: Deps, config: oidc.Configuration, accessToken: string): Promise<UpstreamClaims> {
  const { api } = gitHubUrls(deps.config);
  const headers = new Headers({ accept: 'application/vnd.github+json', 'user-agent': 'DJAM', 'x-github-api-version': '2022-11-28' });
  const read = async (path: string): Promise<unknown> => {
    const res = await oidc.fetchProtectedResource(config, accessToken, new URL(`${api}${path}`), 'GET', undefined, headers);
    if (!res.ok) throw new AppError('IDP_UNAVAILABLE', { details: { upstreamStatus: res.status } });
    return res.json();
  };
  const user = await read('/user') as { id?: unknown; login?: unknown; name?: unknown };
  if (typeof user.id !== 'number' || !Number.isSafeInteger(user.id)) throw new AppError('IDP_SIGN_IN_FAILED', { message: 'GitHub sent no user id.' });
  const emails = await read('/user/emails');
  const primary = Array.isArray(emails) ? (emails as Array<{ email?: unknown; primary?: unknown; verified?: unknown }>).find((e) => e.primary === true && typeof e.email === 'string') : undefined;
  const [given = '', ...family] = (typeof user.name === 'string' ? user.name : '').trim().split(/\s+/);
  return {
    sub: String(user.id), ...(typeof user.login === 'string' ? { preferred_username: user.login } : {}),
    ...(primary ? { email: primary.email, email_verified: primary.verified === true } : {}),
    given_name: given, family_name: family.join(' '),
  };
}

/**
 * GitHub answers a refused code exchange with 200 and an `error` field, which openid-client
 * reports as a malformed answer: a used or expired code is the user's sign-in failing, anything
 * else (`incorrect_client_credentials`, `redirect_uri_mismatch`) our configuration.
 */
function gitHubFailure(cause: unknown): AppError {
  if (cause instanceof AppError) return cause;
  // openid-client's ClientError wraps oauth4webapi's error, whose cause holds the body.
  let error: string | undefined;
  for (let c: unknown = cause, depth = 0; c instanceof Error && depth < 3 && error === undefined; c = c.cause, depth++) {
    const body = (c.cause as { body?: { error?: unknown } } | undefined)?.body;
    if (typeof body?.error === 'string') error = body.error;
  }
  if (error === 'bad_verification_code') return new AppError('IDP_SIGN_IN_FAILED', { cause, details: { upstreamError: error } });
  if (error) return new AppError('IDP_UNAVAILABLE', { cause, details: { upstreamError: error } });
  return failureOf(cause);
}

/** openid-client's refusal, as the page the user sees (the cause goes to the log only). */
function failureOf(cause: unknown): AppError {
  if (cause instanceof oidc.AuthorizationResponseError) {
    if (cause.error === 'access_denied') return new AppError('IDP_ACCESS_DENIED', { cause, details: { upstreamError: cause.error } });
    return new AppError('IDP_SIGN_IN_FAILED', { cause, details: { upstreamError: cause.error } });
  }
  // The token endpoint refused (a wrong client secret is `invalid_client`): our configuration, not the user.
  if (cause instanceof oidc.ResponseBodyError) {
    return cause.error === 'invalid_grant'
      ? new AppError('IDP_SIGN_IN_FAILED', { cause, details: { upstreamError: cause.error } })
      : new AppError('IDP_UNAVAILABLE', { cause, details: { upstreamError: cause.error } });
  }
  // state, nonce, audience, issuer, signature, times: the answer is not one we asked for.
  if (cause instanceof oidc.ClientError) return new AppError('IDP_SIGN_IN_FAILED', { cause, details: { check: cause.code } });
  return unavailable(cause);
}

/** Where to send the user to end their upstream session too, when the provider says where. */
export async function upstreamLogoutUrl(deps: Deps, idp: IdentityProvider, idToken: string | undefined, postLogout: string): Promise<string | undefined> {
  try {
    const config = await upstreamConfiguration(deps, idp);
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    return oidc.buildEndSessionUrl(config, { post_logout_redirect_uri: postLogout, ...(idToken ? { id_token_hint: idToken } : {}) }).href;
  } catch {
    return undefined;
  }
}
