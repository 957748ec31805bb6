// The API keys part of the account page (DJAM §6.9, when DJAM_SHOW_API_KEYS_IN_DASHBOARD is on):
// the user's usable resource keys, and what the user may do to them there. Only their own
// resource keys: management keys stay an administrator's business (§5.6).
import { createApiKey, daysFromNow, listKeysOfUser, rotateKey, setKeyExpiry, setKeyRevoked, type ListedKey } from '../api-keys/index.ts';
import { AppError } from '../errors.ts';
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

/** Applies one action of the page; `keyId` is ignored by `create`. */
export async function applyKeyAction(deps: AccountDeps, userId: number, action: KeyAction, keyId?: number): Promise<void> {
  const expiry = daysFromNow(deps.config.DJAM_APIKEY_EXPIRE_DAYS);
  if (action === 'create') {
    await createApiKey(deps, { userId, scope: 'resource', expiry });
    return;
  }
  const key = await getActiveOwnKey(deps, userId, keyId ?? -1);
  if (action === 'renew') await setKeyExpiry(deps, key.id, expiry);
  else if (action === 'revoke') await setKeyRevoked(deps, key.id, true);
  else await rotateKey(deps, { id: key.id, userId }, { newExpiry: expiry });
}
