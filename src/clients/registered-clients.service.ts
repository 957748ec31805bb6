// Clients that registered themselves (#24, RFC 7591/7592 dynamic registration): the provider
// validates the metadata and hands it to the registry here, which stores it as any client, under
// the rules of a registered client: it always asks the user's consent, never holds the admin
// scope, has no owner, and gets the flat `groups` claim. DJAM's own settings (urn:djam:*) are
// never taken from a registration.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { oauthClients } from '../db/schema.ts';
import { seal, type SecretKeys } from '../crypto/keys.ts';
import { announceChange } from '../db/change-feed.ts';

/** The registered metadata kept with the row (the rest is in its columns). */
const KEPT = [
  'backchannel_logout_uri', 'backchannel_logout_session_required', 'dpop_bound_access_tokens', 'require_pushed_authorization_requests',
  'jwks', 'jwks_uri', 'authorization_signed_response_alg', 'token_endpoint_auth_method', 'request_object_signing_alg', 'require_signed_request_object',
] as const;

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export async function saveRegisteredClient(deps: { db: Db; keys: SecretKeys }, metadata: Record<string, unknown>): Promise<void> {
  const clientId = String(metadata.client_id);
  const isPublic = metadata.token_endpoint_auth_method === 'none';
  const secret = typeof metadata.client_secret === 'string' && !isPublic ? metadata.client_secret : null;
  const protocol: Record<string, unknown> = { groups_claim: 'flat', registered: true };
  for (const name of KEPT) if (metadata[name] !== undefined) protocol[name] = metadata[name];
  const scope = (typeof metadata.scope === 'string' ? metadata.scope : 'openid').split(' ').filter((s) => s && s !== 'admin').join(' ');
  const columns = {
    name: (typeof metadata.client_name === 'string' && metadata.client_name.trim() ? metadata.client_name.trim() : 'Registered client').slice(0, 100),
    clientType: isPublic ? 'public' : 'confidential', clientSecretSealed: secret === null ? null : seal(deps.keys, secret),
    grantTypes: strings(metadata.grant_types ?? ['authorization_code']), responseTypes: strings(metadata.response_types ?? ['code']),
    redirectUris: strings(metadata.redirect_uris), postLogoutRedirectUris: strings(metadata.post_logout_redirect_uris),
    scope, jwtAlg: typeof metadata.id_token_signed_response_alg === 'string' ? metadata.id_token_signed_response_alg : 'RS256',
    requireConsent: true, protocolMetadata: protocol, updatedAt: new Date(),
  };
  await deps.db.insert(oauthClients).values({ clientId, ownerId: null, ...columns })
    .onConflictDoUpdate({ target: oauthClients.clientId, set: columns });
  await announceChange(deps.db, 'client', clientId);
}

/** RFC 7592 §2.3: a registered client deleted with its registration access token. Other clients are not the registration's to delete. */
export async function deleteRegisteredClient(deps: { db: Db }, clientId: string): Promise<void> {
  const [row] = await deps.db.select({ protocol: oauthClients.protocolMetadata }).from(oauthClients).where(eq(oauthClients.clientId, clientId)).limit(1);
  if (!row || row.protocol.registered !== true) return;
  await deps.db.delete(oauthClients).where(eq(oauthClients.clientId, clientId));
  await announceChange(deps.db, 'client', clientId);
}
