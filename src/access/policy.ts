// Who may do what to whom: the one table every door's service asks (#17). A rule answers for an
// actor (actor.ts) and a target; `assertMay` turns a refusal into the exact error: a caller a
// superuser's rights would have let through is told SUPERUSER_REQUIRED, anyone else FORBIDDEN.
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';

/** The admin flags of a user someone acts on (or creates). */
export interface UserTarget { id?: number; isStaff: boolean; isSuperuser: boolean }

/** A user and the change to their flags (absent: unchanged). */
interface UserChangeTarget { user: UserTarget; isStaff?: boolean; isSuperuser?: boolean; isActive?: boolean }

/** What makes a client dangerous to hand out: the admin API, or codes without asking the user. */
export interface ClientTarget {
  ownerId: number | null; grantsAdmin: boolean; skipsConsent: boolean;
  /** The server itself POSTs to a URI of the client (back-channel logout): where, is a superuser's choice. */
  callsOut?: boolean;
}

interface KeyTarget { owner: UserTarget; choosesValue?: boolean }

const isAdmin = (u: UserTarget) => u.isStaff || u.isSuperuser;
const isSelf = (actor: Actor, u: UserTarget) => actor.userId !== undefined && actor.userId === u.id;
/**
 * Acting on oneself with all of one's rights. A door that grants less (a superuser's token is
 * capped at staff rights) must not reach the rest through the user's own credentials or keys.
 */
const isWholeSelf = (actor: Actor, u: UserTarget) =>
  isSelf(actor, u) && (actor.isSuperuser || !u.isSuperuser) && (actor.isStaff || !u.isStaff);

/** Staff act on ordinary users and on themselves; other administrators are a superuser's business. */
function mayManageUser(actor: Actor, user: UserTarget): boolean {
  return actor.isSuperuser || (actor.isStaff && (!isAdmin(user) || isWholeSelf(actor, user)));
}

/** Granting or taking admin flags is a superuser's; nobody removes their own (a second superuser must). */
function mayChangeUser(actor: Actor, t: UserChangeTarget): boolean {
  const flagsChange = (t.isStaff !== undefined && t.isStaff !== t.user.isStaff) || (t.isSuperuser !== undefined && t.isSuperuser !== t.user.isSuperuser);
  const disables = t.isActive === false || t.isStaff === false || t.isSuperuser === false;
  if (isSelf(actor, t.user) && disables && isAdmin(t.user)) return false;
  if (flagsChange && !actor.isSuperuser) return false;
  return mayManageUser(actor, t.user);
}

/**
 * A plain client: asks the user's consent, cannot reach the admin API, and makes the server send
 * nothing anywhere. A back-channel logout URI is a request DJAM's own network position makes, to
 * any address (intranet receivers are legitimate, so none is blocked): like the webhooks, a
 * superuser's decision, or staff could point it at internal services (#24 review).
 */
const isPlainClient = (c: ClientTarget) => !c.grantsAdmin && !c.skipsConsent && !c.callsOut;

function mayConfigureClient(actor: Actor, c: ClientTarget): boolean {
  if (actor.isSuperuser) return true;
  if (!isPlainClient(c)) return false;
  return actor.isStaff || (c.ownerId !== null && actor.userId === c.ownerId);
}

function mayHandleKey(actor: Actor, k: KeyTarget): boolean {
  // A chosen value is how imports carry keys over; anywhere else it lets a caller plant a key.
  if (k.choosesValue && !actor.isSuperuser) return false;
  return isWholeSelf(actor, k.owner) || mayManageUser(actor, k.owner);
}

const staffOnly = (actor: Actor) => actor.isStaff || actor.isSuperuser;

/** Teams and roles carry GeoServer roles and access: changing those of other administrators is a superuser's. */
function mayChangePrivileges(actor: Actor, t: { affected: UserTarget[] }): boolean {
  return actor.isSuperuser || (staffOnly(actor) && t.affected.every((u) => !isAdmin(u) || isWholeSelf(actor, u)));
}
const superuserOnly = (actor: Actor) => actor.isSuperuser;

const policy = {
  'admin.enter': staffOnly,
  'user.create': (a: Actor, t: UserTarget) => a.isSuperuser || (a.isStaff && !isAdmin(t)),
  'user.update': mayChangeUser,
  'user.delete': (a: Actor, t: UserTarget) => !isSelf(a, t) && mayManageUser(a, t),
  'user.credentials': mayManageUser,
  // Lifting a brute-force lock-out (#20) is a credentials matter: whoever may set the password.
  'user.unlock': mayManageUser,
  'user.memberships': mayManageUser,
  // #22: second factors. A user adds and removes their own (after a fresh sign-in); an
  // administrator who may set someone's password may also reset their factors, never add one.
  'mfa.manage': (a: Actor, t: UserTarget) => isWholeSelf(a, t),
  'mfa.reset': mayManageUser,
  // Asking a team's members for a second factor only ever asks more of them.
  'mfa.require': staffOnly,
  'api-key.issue': mayHandleKey,
  'api-key.manage': mayHandleKey,
  'client.configure': mayConfigureClient,
  'client.manage': mayConfigureClient,
  'privileges.change': mayChangePrivileges,
  // Who may sign in to an application at all: a lock-out of everyone outside some teams,
  // administrators included, is a superuser's decision.
  'login-preventions.manage': superuserOnly,
  'signing-keys.manage': superuserOnly,
  'config.read': superuserOnly,
  // #23: where users may sign in from (upstream providers, their secrets and team mappings) is a superuser's decision.
  'identity-providers.manage': superuserOnly,
  // #21: the event log names every identity's sign-ins and changes: staff read it (machines with
  // the admin scope too, for a SIEM); where it is streamed to is a superuser's decision.
  'events.read': staffOnly,
  'webhooks.manage': superuserOnly,
  // #24: an initial access token lets anyone holding it register clients (RFC 7591): a superuser's decision.
  'initial-access-tokens.manage': superuserOnly,
  // #24 RFC 8693: a client exchanges a user's token only for an API it was registered to reach
  // (its token_exchange_audiences, set by whoever may configure it); no person exchanges tokens.
  'token.exchange': (a: Actor, t: { audience: string; allowedAudiences: readonly string[] }) => a.kind === 'client' && t.allowedAudiences.includes(t.audience),
} as const;

export type Action = keyof typeof policy;
type TargetOf<A extends Action> = Parameters<(typeof policy)[A]>[1];
/** Actions about the deployment as a whole take no target. */
type TargetArgs<A extends Action> = undefined extends TargetOf<A> ? [] : [TargetOf<A>];

export function may<A extends Action>(actor: Actor, action: A, ...[target]: TargetArgs<A>): boolean {
  return (policy[action] as (a: Actor, t: unknown) => boolean)(actor, target);
}

/** Throws the refusal when `actor` may not do `action` to `target`. */
export function assertMay<A extends Action>(actor: Actor, action: A, ...target: TargetArgs<A>): void {
  if (may(actor, action, ...target)) return;
  const asSuperuser = { ...actor, isStaff: true, isSuperuser: true };
  const code = actor.isStaff && may(asSuperuser, action, ...target) ? 'SUPERUSER_REQUIRED' : 'FORBIDDEN';
  throw new AppError(code, { details: { action } });
}
