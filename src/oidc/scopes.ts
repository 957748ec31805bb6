// The scopes and claims of DJAM (docs/compatibility.md §3.5). Claims of granted scopes go into the id_token as well
// as userinfo (conformIdTokenClaims: false), as the original did for its own claims.
export const claimsByScope = {
  openid: ['sub'],
  profile: ['given_name', 'family_name', 'nickname'],
  email: ['email', 'email_verified'],
  user_id: ['user_id'],
  groups: ['groups'],
  roles: ['roles'],
  legacy_user_id: ['legacy_user_id'],
  is_admin: ['is_admin'],
  is_staff: ['is_staff'],
};

/**
 * Scopes without claims: refresh tokens, introspection right, the tutorial's read/write, the admin
 * API, and `proxy`: the token may be used at the authenticated reverse proxy (src/proxy/bearer-token.ts).
 */
export const plainScopes = ['openid', 'offline_access', 'token_introspection', 'read', 'write', 'admin', 'proxy'];

export const supportedScopes = new Set([...plainScopes, ...Object.keys(claimsByScope)]);

/** Labels of the consent page, from the original's claim class. */
export const scopeLabels: Record<string, string> = {
  openid: 'Sign you in with your DJAM account',
  profile: 'Your name',
  email: 'Your e-mail address',
  user_id: 'Access to your User ID number',
  groups: 'Access to your Privilege Groups',
  roles: 'The names of your roles',
  legacy_user_id: 'Pre DJAM user id. Used to match accounts',
  is_admin: 'Tells if user is djam admin',
  is_staff: 'Tells if user is djam staff member',
  offline_access: 'Stay connected when you are away (refresh tokens)',
  token_introspection: 'Check tokens issued to other applications',
  read: 'Read your data',
  write: 'Change your data',
  admin: 'Administer DJAM with your staff privileges (the admin API)',
  proxy: 'Use the services DJAM protects for you, as you',
};
