// Who is acting: every state-changing service call names its actor, built by the door the
// request came through (the admin guard, a page's session, an API key, a client token, the CLI,
// the system). Services hand it to the policy and to the audit log; no door decides alone.

/** The scope of the admin API: staff-level rights at most (userTokenActor). */
export const ADMIN_SCOPE = 'admin';

type ActorKind = 'user' | 'client' | 'api-key' | 'cli' | 'system';

export interface Actor {
  kind: ActorKind;
  /** User id, client id, key id; 'cli' or 'system' for those. */
  id: string;
  /** What the audit log shows: an e-mail, a client id, a key owner's e-mail. */
  label: string;
  /** The user this actor speaks for, if any (a signed-in user, a user token, a key's owner). */
  userId?: number;
  /** Admin rights as this door grants them, never more than the user holds. */
  isStaff: boolean;
  isSuperuser: boolean;
  ip?: string;
}

interface ActingUser { id: number; email: string; isStaff: boolean; isSuperuser: boolean }

/** A signed-in user (browser session): their own rights. */
export function userActor(user: ActingUser, ip?: string): Actor {
  return { kind: 'user', id: String(user.id), label: user.email, userId: user.id, isStaff: user.isStaff || user.isSuperuser, isSuperuser: user.isSuperuser, ip };
}

/**
 * An application's access token for a user. A token carries at most staff rights: the `admin`
 * scope a client is given means "staff-level administration", so a superuser's click on some
 * client's authorization link can never hand that client a superuser's powers (#17 item 4).
 * Superuser operations take the superuser's own session or the CLI.
 */
export function userTokenActor(user: ActingUser, clientId: string, ip?: string): Actor {
  return { ...userActor(user, ip), label: `${user.email} via ${clientId}`, isSuperuser: false };
}

/** A machine holding a client-credentials token with the `admin` scope: staff-level. */
export function clientActor(clientId: string, ip?: string): Actor {
  return { kind: 'client', id: clientId, label: clientId, isStaff: true, isSuperuser: false, ip };
}

/** An API key's holder: the owner's rights, as the key API and GeoServer endpoints grant them. */
export function apiKeyActor(keyId: number, owner: ActingUser, ip?: string): Actor {
  return { kind: 'api-key', id: String(keyId), label: owner.email, userId: owner.id, isStaff: owner.isStaff || owner.isSuperuser, isSuperuser: owner.isSuperuser, ip };
}

/** Whoever runs the CLI owns the deployment's database and secret key: full rights. */
export const cliActor: Actor = Object.freeze({ kind: 'cli', id: 'cli', label: 'cli', isStaff: true, isSuperuser: true });

/**
 * Someone who has not proved who they are (a failed sign-in), named as they named themselves:
 * an entry in the audit log, with no rights at all.
 */
export function anonymousActor(claimedName: string, ip?: string): Actor {
  return { kind: 'user', id: '-', label: claimedName, isStaff: false, isSuperuser: false, ip };
}
