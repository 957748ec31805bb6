// Consent: a grant stored earlier in the provider session is reused, and a client registered
// with "consent not required" gets its requested scopes granted without a consent page
// (DJAM's require_consent=false, used by trusted first-party apps and GeoServer).
import type { KoaContextWithOIDC } from 'oidc-provider';

export async function loadExistingGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const client = oidc.client!;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(client.clientId);
  if (grantId) return oidc.provider.Grant.find(grantId);
  if (client.metadata()['urn:djam:require_consent'] !== false || !oidc.session?.accountId) return undefined;
  const grant = new oidc.provider.Grant({ clientId: client.clientId, accountId: oidc.session.accountId });
  grant.addOIDCScope([...oidc.requestParamScopes].join(' '));
  const claims = oidc.requestParamClaims;
  if (claims?.size) grant.addOIDCClaims([...claims]);
  await grant.save();
  return grant;
}
