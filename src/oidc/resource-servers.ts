// RFC 8707 resource indicators for the APIs of DJAM_OIDC_RESOURCE_SERVERS. A client naming
// `resource=<URI>` of one (client_credentials, authorization code, refresh) gets an RS256 JWT
// access token (RFC 9068, `typ: at+jwt`) signed with the server's signing keys, `aud` = the API,
// holding the API's scopes that the client's scope list names: the API verifies it against
// /openid/jwks without calling DJAM. A request without `resource` gets the opaque,
// userinfo-audience token of before, so nothing changes for existing clients.
// A JWT is not stored: introspection answers it `{"active": false}` (the provider refuses
// structured tokens) and revocation cannot reach it (it lives its TTL: keep that short). The
// proxy takes one only when its audience is the proxy or the proxied service (#17 item 2).
import { errors, type KoaContextWithOIDC, type ResourceServer } from 'oidc-provider';
import { djamScopes } from './policies.ts';
import { findResourceServer, type ResourceServers, type ResourceServerSetting } from '../config-resource-servers.ts';

type Client = NonNullable<KoaContextWithOIDC['oidc']['client']>;

/** The API's scopes the client may receive: those its DJAM scope list names too (as for OIDC scopes). */
function allowedScopes(server: ResourceServerSetting, client: Client): string[] {
  const clientScopes = djamScopes(client);
  return server.scopes.filter((s) => clientScopes.has(s));
}

/** DJAM refuses a scope the client may not use (docs/compatibility.md §3.3 invalid_scope); a scope of another API is not this one's business. */
function refuseForeignScopes(ctx: KoaContextWithOIDC, server: ResourceServerSetting, allowed: string[]): void {
  const ours = new Set(server.scopes);
  const mine = new Set(allowed);
  for (const scope of ctx.oidc.requestParamScopes) {
    if (ours.has(scope) && !mine.has(scope)) throw new errors.InvalidScope('requested scope is not allowed', scope);
  }
}

async function resourceServerInfo(servers: ResourceServers, ctx: KoaContextWithOIDC, indicator: string, client: Client): Promise<ResourceServer> {
  const server = findResourceServer(servers, indicator);
  if (!server) throw new errors.InvalidTarget();
  const allowed = allowedScopes(server, client);
  if (!allowed.length) throw new errors.InvalidTarget('the client may not request access tokens for this resource');
  refuseForeignScopes(ctx, server, allowed);
  return {
    scope: allowed.join(' '),
    audience: server.audience, // as configured, however the client spelled the URI
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: 'RS256' } }, // the signing keys are RSA (src/signing-keys)
    ...(server.ttl ? { accessTokenTTL: server.ttl } : {}),
  };
}

/**
 * `features.resourceIndicators` with the library's defaults otherwise: no default resource, and a
 * code or refresh exchange without `resource` gets the userinfo token when `openid` was granted
 * (the token of the granted API only when the grant has no `openid`). Off without any API, so
 * that a `resource` parameter is ignored as it always was rather than answered invalid_target.
 */
export function resourceIndicators(servers: ResourceServers) {
  return {
    enabled: Object.keys(servers).length > 0,
    getResourceServerInfo: (ctx: KoaContextWithOIDC, indicator: string, client: Client) => resourceServerInfo(servers, ctx, indicator, client),
  };
}

/** ttl.AccessToken and ttl.ClientCredentials: a number there would override the API's own `ttl`. */
export function accessTokenTtl(seconds: number) {
  return (_ctx: KoaContextWithOIDC, token: { resourceServer?: { accessTokenTTL?: number } }) => token.resourceServer?.accessTokenTTL ?? seconds;
}
