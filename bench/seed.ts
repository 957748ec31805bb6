// What the scenarios need, made through the services as an administrator would: OAuth clients,
// a user in a team whose role opens the proxied upstream, and the user's resource and
// management keys.
import type { Db } from '../src/db/client.ts';
import type { SecretKeys } from '../src/crypto/keys.ts';
import { createApiKey, daysFromNow } from '../src/api-keys/index.ts';
import { createClient } from '../src/clients/index.ts';
import { addTeamMember, createRole, createTeam, grantRoleToTeam } from '../src/privileges/index.ts';
import { createAccessRule, createResource } from '../src/protected-resources/index.ts';
import { createUser } from '../src/users/index.ts';
import type { Config } from '../src/config.ts';
import { cliActor } from '../src/access/index.ts';
import { createIdentityProviderAs, linkUpstreamAccount } from '../src/federation/index.ts';

export const REDIRECT_URI = 'http://127.0.0.1:9/cb';

/**
 * The API of 'client_credentials (JWT)', as DJAM_OIDC_RESOURCE_SERVERS of the bench's server: its
 * scopes are in every client's default scope list, so the seeded client may ask for it.
 */
export const BENCH_API = 'https://api.bench.example/';
export const BENCH_RESOURCE_SERVERS = JSON.stringify({ [BENCH_API]: { scopes: 'read write' } });

export interface Seed {
  user: { email: string; password: string };
  /** client_credentials only. */
  ccClient: { id: string; secret: string };
  /** Authorization code + refresh, consent skipped: the code arrives in one redirect. */
  codeClient: { id: string; secret: string };
  /** Authorization code with the consent page, for the whole-flow statement count. */
  consentClient: { id: string; secret: string };
  /** #24: client_credentials with DPoP-bound tokens (RFC 9449). */
  dpopClient: { id: string; secret: string };
  /** #24: the device authorization grant (RFC 8628). */
  deviceClient: { id: string; secret: string };
  authkey: string;
  managementKey: string;
  /** #23: the upstream of the sign-in round: the bench's server is its own upstream, the bench user linked to themself. */
  idpSlug: string;
  /** #23: a directory user of the LDAP row (bench/directory.ts), when slapd runs (DJAM_LDAP_URL set). */
  ldapUser?: { login: string; password: string };
}

const BENCH_IDP_SLUG = 'bench-self';
export const BENCH_LDAP_USER = { login: 'bench-ldap', password: 'bench-ldap-password' };

/** `siteUrl`: the URL of the server the load is sent to (the upstream's issuer and callback), not the counting server's. */
export async function seed(deps: { db: Db; keys: SecretKeys; config: Config }, upstreamUrl: string, siteUrl: string): Promise<Seed> {
  const user = { email: 'bench@example.com', password: 'bench-password' };
  const row = await createUser(deps, { ...user, firstName: 'Bench', lastName: 'User', emailConfirmed: true });
  const team = await createTeam(deps, 'bench');
  await addTeamMember(deps, team.id, row.id);
  const role = await createRole(deps, 'bench-viewer');
  await grantRoleToTeam(deps, role.id, team.id); // the role comes via the team, the longer path
  const resource = await createResource(deps, { slug: 'bench', type: 'Upstream Service', url: upstreamUrl });
  await createAccessRule(deps, { resourceId: resource.id, roleId: role.id, active: true });
  const expiry = daysFromNow(30);
  const { key: authkey } = await createApiKey(deps, { userId: row.id, scope: 'resource', expiry });
  const { key: managementKey } = await createApiKey(deps, { userId: row.id, scope: 'management', expiry });
  const client = async (clientId: string, grantType: 'client_credentials' | 'authorization_code' | 'device_code', requireConsent = false, protocol = {}) => {
    const secret = `${clientId}-secret`;
    const redirectUris = grantType === 'authorization_code' ? [REDIRECT_URI] : [];
    await createClient(deps, { name: clientId, clientType: 'confidential', grantType, redirectUris, requireConsent, clientId, clientSecret: secret, protocol });
    return { id: clientId, secret };
  };
  // #23: an upstream OpenID provider that is this very server (one process does both sides of the round).
  const site = siteUrl.replace(/\/+$/, '');
  await createClient(deps, {
    name: 'bench-upstream', clientType: 'confidential', grantType: 'authorization_code', requireConsent: false,
    redirectUris: [`${site}/accounts/idp/${BENCH_IDP_SLUG}/callback/`], clientId: 'bench-upstream', clientSecret: 'bench-upstream-secret',
  });
  const idp = await createIdentityProviderAs(deps, cliActor, {
    slug: BENCH_IDP_SLUG, name: 'Bench self', issuer: `${site}/openid`, clientId: 'bench-upstream', clientSecret: 'bench-upstream-secret', scope: 'openid email profile',
  });
  await linkUpstreamAccount(deps, idp, String(row.id), row);
  return {
    user, authkey, managementKey, idpSlug: BENCH_IDP_SLUG,
    ...(process.env.DJAM_LDAP_URL ? { ldapUser: BENCH_LDAP_USER } : {}),
    ccClient: await client('bench', 'client_credentials'),
    codeClient: await client('bench-code', 'authorization_code'),
    consentClient: await client('bench-consent', 'authorization_code', true),
    dpopClient: await client('bench-dpop', 'client_credentials', false, { dpop_bound_access_tokens: true }),
    deviceClient: await client('bench-device', 'device_code'),
  };
}
