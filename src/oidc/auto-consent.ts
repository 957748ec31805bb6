// Consent: a grant stored earlier in the provider session is reused, and a client registered
// with "consent not required" gets its requested scopes granted without a consent page
// (DJAM's require_consent=false, used by trusted first-party apps and GeoServer).
import type { KoaContextWithOIDC } from 'oidc-provider';

type Grant = InstanceType<KoaContextWithOIDC['oidc']['provider']['Grant']>;

/** Per API named by `resource` (resource-servers.ts): its requested scopes the grant lacks. */
function missingResourceScopes(ctx: KoaContextWithOIDC, grant: Grant): Array<[string, string[]]> {
  const requested = [...ctx.oidc.requestParamScopes];
  return Object.entries(ctx.oidc.resourceServers ?? {})
    .map(([indicator, server]): [string, string[]] => {
      const held = new Set(grant.getResourceScopeEncountered(indicator).split(' '));
      return [indicator, requested.filter((s) => server.scopes.has(s) && !held.has(s))];
    })
    .filter(([, scopes]) => scopes.length);
}

/** Adds what the request asks for to the grant; saves it only when something was missing. */
async function grantRequested(ctx: KoaContextWithOIDC, grant: Grant): Promise<Grant> {
  const { oidc } = ctx;
  const held = new Set(grant.getOIDCScope().split(' '));
  // Without `resource` these are the request's scopes (the provider keeps only its own).
  const scopes = [...oidc.requestParamOIDCScopes].filter((s) => !held.has(s));
  const heldClaims = new Set(grant.getOIDCClaims());
  const claims = [...(oidc.requestParamClaims ?? [])].filter((c) => !heldClaims.has(c));
  const apiScopes = missingResourceScopes(ctx, grant);
  if (!grant.jti || scopes.length || claims.length || apiScopes.length) {
    if (scopes.length) grant.addOIDCScope(scopes.join(' '));
    if (claims.length) grant.addOIDCClaims(claims);
    for (const [indicator, missing] of apiScopes) grant.addResourceScope(indicator, missing.join(' '));
    await grant.save();
  }
  return grant;
}

export async function loadExistingGrant(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
  const { oidc } = ctx;
  const client = oidc.client!;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(client.clientId);
  // The session may still name a grant that is gone (destroyed on code reuse or with a revoked
  // refresh token, or expired); a consent-free client then simply gets a new one.
  const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  const accountId = oidc.session?.accountId;
  if (client.metadata()['urn:djam:require_consent'] !== false || !accountId) return existing;
  // A consent-free client asking for more scopes than before is granted them too, rather than
  // showing a consent page the client was registered to skip.
  return grantRequested(ctx, existing ?? new oidc.provider.Grant({ clientId: client.clientId, accountId }));
}
