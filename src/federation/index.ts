// Federation (#23): signing in through the identity systems organisations already have,
// upstream OpenID Connect providers (and LDAP directories). What other capabilities use.
export { createIdentityProviderAs, isPreset, listSignInButtons } from './providers.service.ts';
export { linkUpstreamAccount } from './links.service.ts';
export { upstreamSignOutUrl } from './federation.routes.ts';
export { checkDirectoryPassword, directoryPasswordCheck } from './ldap.service.ts';
export { syncDirectoryUsers } from './ldap-sync.service.ts';
