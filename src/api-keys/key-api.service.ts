// The key-management actions (docs/compatibility.md §5.3–5.5) for a caller already authenticated by a management
// key. Each answers the original's body, property names with spaces included. The caller acts as
// an API-key actor: the policy is asked about the key's owner (a refusal is the key API's own
// 403) and every change is written to the audit log with it (api-keys-manage.service.ts).
import { apiKeyActor, may, type Actor } from '../access/index.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { AppError } from '../errors.ts';
import { findUser } from '../users/index.ts';
import { daysFromNow, findApiKey, listKeysOfUser, type FoundKey } from './api-keys.service.ts';
import { issueKeyFor, rotateApiKey, updateHeldKey } from './api-keys-manage.service.ts';
import { isCanonicalKey } from './key-format.ts';
import { formatApiDate } from './key-api.format.ts';
import { accountIdOf, isShortExpiryRequested, parseRequestedExpiry, parseRevoked } from './key-api.params.ts';

interface Deps { config: Config; db: Db; keys: SecretKeys }
export const KEY_ACTIONS = ['key_list', 'create_key', 'status', 'revoke', 'renew', 'rotate'] as const;
type KeyAction = (typeof KEY_ACTIONS)[number];
type Fields = Record<string, unknown>;
type Answer = Record<string, unknown>;
interface Call { caller: FoundKey; actor: Actor; fields: Fields; now: Date; expiry?: Date }
interface Target { id: number; email: string; isStaff: boolean; isSuperuser: boolean }

/** Who acts through the key API: the management key, with its owner's rights. */
export function keyApiActor(caller: FoundKey, ip?: string): Actor {
  const { email, isStaff, isSuperuser } = caller.owner;
  return apiKeyActor(caller.id, { id: caller.userId, email, isStaff, isSuperuser }, ip);
}

/** Runs one action for `caller` acting as `actor`; throws the AppErrors of docs/compatibility.md §5.3 (403) and §5.5 (400). */
export async function runKeyAction(
  deps: Deps, action: KeyAction, caller: FoundKey, actor: Actor, fields: Fields, now = new Date(),
): Promise<Answer> {
  // docs/compatibility.md §5.3 step 1 applies to every action, before anything else is looked at.
  const call = { caller, actor, fields, now, expiry: parseRequestedExpiry(fields.expiry, now, deps.config.DJAM_MAX_APIKEY_EXPIRE_DAYS) };
  if (action === 'key_list') return listKeys(deps, await targetUser(deps, call));
  if (action === 'create_key') return createKey(deps, await targetUser(deps, call), call);
  return keyActions[action](deps, await checkResourceKey(deps, call), call);
}

/** docs/compatibility.md §5.4: a superuser acts on the user `account_id` names when it exists, everyone else on themselves. */
async function targetUser(deps: Deps, { caller, fields }: Call): Promise<Target> {
  const self = { id: caller.userId, email: caller.owner.email, isStaff: caller.owner.isStaff, isSuperuser: caller.owner.isSuperuser };
  const id = caller.owner.isSuperuser ? accountIdOf(fields.account_id) : undefined;
  return (id ? await findUser(deps, id) : undefined) ?? self;
}

/**
 * docs/compatibility.md §5.3 step 2: the resource key the caller may manage, by the key API's rules and the policy's;
 * revoked and expired keys pass.
 */
async function checkResourceKey(deps: Deps, { caller, actor, fields }: Call): Promise<FoundKey> {
  const key = await findApiKey(deps, fields.resource_key);
  if (!key || key.scope !== 'resource' || !mayManage(caller, key, fields)) throw new AppError('APIKEY_RESOURCE_KEY_REFUSED');
  const owner = { id: key.userId, isStaff: key.owner.isStaff, isSuperuser: key.owner.isSuperuser };
  if (!may(actor, 'api-key.manage', { owner })) throw new AppError('APIKEY_RESOURCE_KEY_REFUSED');
  return key;
}

function mayManage(caller: FoundKey, key: FoundKey, fields: Fields): boolean {
  // The original compared the submitted string with its stored UUID: other spellings fail.
  if (!caller.owner.isSuperuser) return key.userId === caller.userId && isCanonicalKey(fields.resource_key);
  // Compared as-is, so a form-encoded "3" never matches (docs/compatibility.md §5.4).
  if (fields.account_id !== undefined && fields.account_id !== null) return fields.account_id === key.userId;
  return key.userId === caller.userId;
}

async function listKeys(deps: Deps, target: Target): Promise<Answer> {
  const keys = await listKeysOfUser(deps, target.id, 'resource');
  return { [`tokens of ${target.email}`]: keys.map((k) => k.key) };
}

async function createKey(deps: Deps, target: Target, { actor, fields, now, expiry }: Call): Promise<Answer> {
  // null is "not sent" here (the original failed on it with a 500).
  const revoked = fields.revoked === undefined || fields.revoked === null ? false : parseRevoked(fields.revoked);
  const owner = { id: target.id, isStaff: target.isStaff, isSuperuser: target.isSuperuser };
  if (!may(actor, 'api-key.issue', { owner })) throw new AppError('APIKEY_RESOURCE_KEY_REFUSED');
  const created = await issueKeyFor(deps, actor, owner, {
    scope: 'resource', revoked, expiry: expiry ?? daysFromNow(deps.config.DJAM_APIKEY_EXPIRE_DAYS, now.getTime()),
  });
  return { username: target.email, token: created.key, id: created.id, created: 'success' };
}

type KeyActionFn = (deps: Deps, key: FoundKey, call: Call) => Promise<Answer>;

const keyActions: Record<Exclude<KeyAction, 'key_list' | 'create_key'>, KeyActionFn> = {
  async status(_deps, key) {
    return { username: key.owner.email, key: key.key, id: key.id, revoked: key.revoked, 'expiration date': formatApiDate(key.expiry) };
  },

  async revoke(deps, key, { actor, fields }) {
    // The original answers 200 with this message when there is nothing to set.
    if (fields.revoked === undefined || fields.revoked === null) return { message: 'Please set a revoked value' };
    await updateHeldKey(deps, actor, key, { revoked: parseRevoked(fields.revoked) });
    return { username: key.owner.email, key: key.key, id: key.id, 'new revoked value': fields.revoked };
  },

  async renew(deps, key, { actor, now, expiry }) {
    const newExpiry = expiry ?? daysFromNow(deps.config.DJAM_APIKEY_EXPIRE_DAYS, now.getTime());
    await updateHeldKey(deps, actor, key, { expiry: newExpiry });
    return { username: key.owner.email, key: key.key, id: key.id, 'New expiration date': formatApiDate(newExpiry) };
  },

  async rotate(deps, key, { actor, fields, now }) {
    // The original printed a hard-coded 3; the contract allows the configured number (3 by default).
    const isShort = isShortExpiryRequested(fields.short_expiry);
    const days = isShort ? deps.config.DJAM_SHORT_APIKEY_EXPIRE_DAYS : 0;
    const created = await rotateApiKey(deps, actor, key, {
      oldExpiry: isShort ? daysFromNow(days, now.getTime()) : undefined,
      newExpiry: daysFromNow(deps.config.DJAM_APIKEY_EXPIRE_DAYS, now.getTime()),
    });
    return {
      message: `The old key: ${key.key} with id: ${key.id} is revoked and extended for ${days} days`,
      username: key.owner.email, new_key: created.key, id: created.id,
    };
  },
};
