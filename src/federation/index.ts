// Federation (#23): signing in through the identity systems organisations already have,
// upstream OpenID Connect providers (and LDAP directories). What other capabilities use.
export {
  createIdentityProviderAs, deleteIdentityProviderAs, isPreset, findIdentityProviderBySlug, getIdentityProvider, listIdentityProviders, listSignInButtons, updateIdentityProviderAs,
} from './providers.service.ts';
export type { IdentityProvider, IdentityProviderInput, TeamMapping } from './providers.service.ts';
export { linkUpstreamAccount, listLinksOfUser } from './links.service.ts';
export { federationRoutes, upstreamSignOutUrl } from './federation.routes.ts';
export { checkDirectoryPassword, directoryPasswordCheck, escapeFilterValue } from './ldap.service.ts';
export { syncDirectoryUsers, type SyncReport } from './ldap-sync.service.ts';
