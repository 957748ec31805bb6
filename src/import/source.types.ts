// The original DJAM's rows as the import reads them (docs/compatibility.md §2, §2.11): only the columns that carry
// over, with Django's tables and column names translated to camelCase by the reader's SQL.

export interface SourceUser {
  id: number; password: string; lastLogin: Date | null; isSuperuser: boolean; username: string;
  firstName: string; lastName: string; email: string; secondaryEmail: string | null; emailConfirmed: boolean;
  uuid: string; isStaff: boolean; isActive: boolean; dateJoined: Date; legacyUserId: number | null;
}

interface SourceTeam { id: number; name: string }
interface SourceRole { id: number; name: string }
interface SourceResource { id: number; slug: string; url: string | null; description: string | null; type: string | null }
interface SourceAccessRule { id: number; resourceId: number; roleId: number; active: boolean }

/** A row of a Django many-to-many table, named by its two sides. */
export interface SourceLink { left: number; right: number }

export interface SourceClient {
  id: number; name: string; clientType: string; clientId: string; clientSecret: string; jwtAlg: string;
  dateCreated: Date | null; websiteUrl: string | null; reuseConsent: boolean; requireConsent: boolean;
  redirectUris: string; postLogoutRedirectUris: string; scope: string; ownerId: number | null;
  /** Values of `oidc_provider_responsetype` linked to the client, e.g. `code`, `id_token token`. */
  responseTypes: string[];
}

interface SourcePrevention { id: number; clientId: number; teamIds: number[] }

export interface SourceApiKey {
  id: number; userId: number; key: string; revoked: boolean; lastModified: Date | null; expiry: Date; scope: string;
}

interface SourceRsaKey { id: number; pem: string }

/** Everything the import brings over, read in one read-only snapshot of the original database. */
export interface SourceSnapshot {
  /** Where it was read from, without the password. */
  location: string;
  users: SourceUser[];
  teams: SourceTeam[];
  /** user_management_user_team: left = user, right = team. */
  memberships: SourceLink[];
  roles: SourceRole[];
  /** user_management_user_role: left = user, right = role. */
  userRoles: SourceLink[];
  /** privilege_manager_team_role: left = team, right = role. */
  teamRoles: SourceLink[];
  resources: SourceResource[];
  accessRules: SourceAccessRule[];
  clients: SourceClient[];
  preventions: SourcePrevention[];
  apiKeys: SourceApiKey[];
  rsaKeys: SourceRsaKey[];
}
