// The OpenID Connect provider (oidc-provider), configured for DJAM. Reads like a table of
// contents: each value comes from its own small module.
import Provider, { type Configuration } from 'oidc-provider';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import type { SigningKeyRing } from '../signing-keys/index.ts';
import type { ClientCache } from '../clients/index.ts';
import type { UserCache } from '../users/index.ts';
import { parseProxyTrust } from '../http/proxy-trust.ts';
import { adapterFactory } from './adapter.ts';
import { loadExistingGrant } from './auto-consent.ts';
import { accountFinder } from './find-account.ts';
import { introspectionAllowed, revocationAllowed } from './policies.ts';
import { claimsByScope, plainScopes } from './scopes.ts';
import { djamBridge } from './djam-bridge.ts';
import { protocolAnswers } from './protocol-answers.ts';
import { followSigningKeys, providerJwks } from './provider-keys.ts';
import type { PayloadCache } from './payload-cache.ts';
import { djamInteractionPolicy } from './login-policy.ts';
import { ACR_VALUES, authenticationClaims, withAuthenticationClaims, withSignInMethods } from './acr.ts';
import { accessTokenTtl, resourceIndicators } from './resource-servers.ts';
import { logoutSource, postLogoutSuccessSource, renderError } from './views/provider-pages.ts';
import { successSource, userCodeConfirmSource, userCodeInputSource } from './views/device-pages.ts';
import { authorizationCodeTtl, DJAM_CLIENT_METADATA, isFapi2 } from './client-metadata.ts';
import { devicePollPacing } from './device-poll.ts';
import { recordRefreshReuse } from './refresh-reuse.ts';
import { providerFetch } from './backchannel-logout.ts';
import type { Queue } from '../queue/index.ts';
import { registerTokenExchange, withDelegation } from './token-exchange.ts';
import { registrationFeatures } from './registration-policy.ts';

export interface ProviderDeps { config: Config; db: Db; keys: SecretKeys; signingKeys: SigningKeyRing; clientCache: ClientCache; userCache: UserCache; payloadCache: PayloadCache;
  /** #24: back-channel logouts go out as jobs of this queue (backchannel-logout.ts). */
  queue?: Pick<Queue, 'enqueue'>;
}

const providerRoutes = {
  authorization: '/authorize', token: '/token', userinfo: '/userinfo', end_session: '/end-session',
  introspection: '/introspect', revocation: '/revoke', jwks: '/jwks',
  // #24: RFC 8628's pages at /openid/device; PAR's endpoint.
  device_authorization: '/device/auth', code_verification: '/device', pushed_authorization_request: '/par', registration: '/register',
} as const;

function features(c: Config): NonNullable<Configuration['features']> {
  return {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true, allowedPolicy: introspectionAllowed },
    revocation: { enabled: true, allowedPolicy: revocationAllowed },
    rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    userinfo: { enabled: true },
    // JWT access tokens for the APIs of DJAM_OIDC_RESOURCE_SERVERS; opaque tokens without `resource`.
    resourceIndicators: resourceIndicators(c.resourceServers),
    // #24 (README "Protocol support"): each on for the clients registered for it.
    deviceFlow: { enabled: true, charset: 'base-20', mask: '****-****', userCodeInputSource, userCodeConfirmSource, successSource },
    backchannelLogout: { enabled: true },
    dPoP: { enabled: true },
    pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
    requestObjects: { enabled: true, requireSignedRequestObject: false },
    jwtResponseModes: { enabled: true },
    claimsParameter: { enabled: true },
    ...registrationFeatures(c.DJAM_DYNAMIC_REGISTRATION),
    // FAPI 2.0 is a per-client bundle (client-metadata.ts, isFapi2): the library's fapi feature
    // is provider-wide and refuses `?access_token=`, which docs/compatibility.md §3.3 keeps.
  } as NonNullable<Configuration['features']>; // @types/oidc-provider picks a "disabled" union branch otherwise
}

function ttl(c: Config): Configuration['ttl'] {
  return {
    AccessToken: accessTokenTtl(c.DJAM_ACCESS_TOKEN_TTL_SECONDS), ClientCredentials: accessTokenTtl(c.DJAM_ACCESS_TOKEN_TTL_SECONDS),
    AuthorizationCode: authorizationCodeTtl, DeviceCode: 600, IdToken: c.DJAM_ID_TOKEN_TTL_SECONDS, Interaction: 3600,
    RefreshToken: c.DJAM_REFRESH_TOKEN_TTL_SECONDS, Session: c.DJAM_SESSION_TTL_SECONDS,
    Grant: 90 * 24 * 3600, // remembered consent, as the original's 90 days
  };
}

export function createProvider(deps: ProviderDeps): Provider {
  const { config } = deps;
  const findAccount = withSignInMethods(accountFinder(deps.db, deps.userCache));
  const provider = new Provider(config.issuer, {
    adapter: adapterFactory(deps),
    findAccount,
    jwks: providerJwks(deps.signingKeys.current()),
    // #22: acr and amr in every id token; acr_values_supported in discovery; the sign-in's methods in access tokens (acr.ts).
    claims: withAuthenticationClaims(claimsByScope),
    acrValues: ACR_VALUES,
    extraTokenClaims: withDelegation(authenticationClaims) as Configuration['extraTokenClaims'],
    scopes: plainScopes,
    conformIdTokenClaims: false,
    features: features(config),
    routes: providerRoutes,
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    enabledJWA: { idTokenSigningAlgValues: ['RS256', 'HS256'] },
    cookies: { keys: deps.keys.cookies },
    ttl: ttl(config),
    extraClientMetadata: { properties: ['urn:djam:scope', 'urn:djam:require_consent', ...DJAM_CLIENT_METADATA] },
    interactions: { policy: djamInteractionPolicy(findAccount, loadExistingGrant), url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    loadExistingGrant,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    // As the original's tokens, ours outlive the browser session (and need no session look-up).
    expiresWithSession: async () => false,
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' || isFapi2(client) },
    clientBasedCORS: (_ctx, origin, client) => client.redirectUris?.some((u) => URL.parse(u)?.origin === origin) ?? false,
    renderError,
    // docs/compatibility.md §3.3: the original's userinfo also takes the token as `?access_token=`.
    acceptQueryParamAccessTokens: true,
    fetch: providerFetch(() => deps.queue && ((db, type, payload) => deps.queue!.enqueue(db, type, payload)), deps.db) as Configuration['fetch'],
  });
  // Koa believes X-Forwarded-* from every peer once on; the app's guard drops them from untrusted peers.
  provider.proxy = parseProxyTrust(config.DJAM_TRUST_PROXY) !== false;
  followSigningKeys(provider, deps.signingKeys);
  registerTokenExchange(provider, config.resourceServers, findAccount);
  provider.use(djamBridge(deps));
  provider.use(protocolAnswers());
  provider.use(devicePollPacing());
  recordRefreshReuse(provider, deps.db); // #21
  return provider;
}
