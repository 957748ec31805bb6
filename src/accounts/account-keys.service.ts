// The API keys part of the account page (docs/compatibility.md §6.9, when DJAM_SHOW_API_KEYS_IN_DASHBOARD is on):
// the user's usable resource keys, and what the user may do to them there. Only their own
// resource keys: management keys stay an administrator's business (docs/compatibility.md §5.6). The page's session is
// the actor: the policy is asked and every change is in the audit log (api-keys-manage.service.ts).
import type { Actor } from '../access/index.ts';
import { daysFromNow, issueKeyFor, listKeysOfUser, rotateApiKey, updateHeldKey, type ListedKey } from '../api-keys/index.ts';
import { AppError } from '../errors.ts';
import type { User } from '../users/index.ts';
import type { AccountDeps } from './accounts.deps.ts';

export type KeyAction = 'create' | 'renew' | 'rotate' | 'revoke';

/** Resource keys neither revoked nor expired, oldest first. */
export async function listActiveResourceKeys(deps: AccountDeps, userId: number, now = new Date()): Promise<ListedKey[]> {
  return (await listKeysOfUser(deps, userId, 'resource')).filter((k) => !k.revoked && k.expiry > now);
}

async function getActiveOwnKey(deps: AccountDeps, userId: number, keyId: number): Promise<ListedKey> {
  const key = (await listActiveResourceKeys(deps, userId)).find((k) => k.id === keyId);
  if (!key) throw new AppError('NOT_FOUND', { details: { keyId } });
  return key;
}

/** Applies one action of the page to a key of `user`, the signed-in `actor`; `keyId` is ignored by `create`. */
export async function applyKeyAction(deps: AccountDeps, actor: Actor, user: User, action: KeyAction, keyId?: number): Promise<void> {
  const expiry = daysFromNow(deps.config.DJAM_APIKEY_EXPIRE_DAYS);
  const owner = { id: user.id, isStaff: user.isStaff, isSuperuser: user.isSuperuser };
  if (action === 'create') {
    await issueKeyFor(deps, actor, owner, { scope: 'resource', expiry });
    return;
  }
  const key = { ...await getActiveOwnKey(deps, user.id, keyId ?? -1), userId: user.id, owner };
  if (action === 'renew') await updateHeldKey(deps, actor, key, { expiry });
  else if (action === 'revoke') await updateHeldKey(deps, actor, key, { revoked: true });
  else await rotateApiKey(deps, actor, key, { newExpiry: expiry });
}
