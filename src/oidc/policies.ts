// DJAM's rules inside the provider: who may introspect or revoke which token, and which
// scopes a request that names none receives.
import { errors, type KoaContextWithOIDC } from 'oidc-provider';

type Client = NonNullable<KoaContextWithOIDC['oidc']['client']>;

/** The client's whole DJAM scope list: OIDC scopes, client ids (introspection) and API scopes (resource-servers.ts). */
export function djamScopes(client: Client): Set<string> {
  const list = client.metadata()['urn:djam:scope'];
  return new Set(typeof list === 'string' ? list.split(' ') : []);
}

/**
 * docs/compatibility.md §3.5: the caller authenticates with id and secret, and its scope list holds the literal
 * `token_introspection` and the id of the client the token was issued to. Anything else gets
 * `{"active": false}`.
 */
export async function introspectionAllowed(_ctx: KoaContextWithOIDC, client: Client, token: { clientId?: string }): Promise<boolean> {
  return mayIntrospect(client, token.clientId);
}

/** The rule above without the provider's context, for GeoServer's introspection (docs/compatibility.md §4.4). */
export function mayIntrospect(client: Client, tokenClientId: string | undefined): boolean {
  if (client.clientAuthMethod === 'none') return false;
  const scopes = djamScopes(client);
  return scopes.has('token_introspection') && tokenClientId !== undefined && scopes.has(tokenClientId);
}

/** RFC 7009 §2.1: a client revokes only its own tokens, and is told so when it tries another's. */
export async function revocationAllowed(_ctx: KoaContextWithOIDC, client: Client, token: { clientId?: string }): Promise<boolean> {
  if (token.clientId !== client.clientId) throw new errors.UnauthorizedClient('the token was not issued to this client');
  return true;
}

/**
 * A request without `scope` gets the configured defaults the client may use (the tutorial's
 * `read write`), as Django OAuth Toolkit did; the provider then validates them as usual.
 */
export function defaultScopeFor(clientScope: string, defaults: readonly string[]): string | undefined {
  const allowed = new Set(clientScope.split(/\s+/));
  const scope = defaults.filter((s) => allowed.has(s)).join(' ');
  return scope || undefined;
}
