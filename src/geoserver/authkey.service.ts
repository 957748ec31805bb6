// docs/compatibility.md §4.1: which user, and which teams, a GeoServer AuthKey stands for. One indexed query per check,
// none when the key cache knows the key.
import { isKeyUsable, noteRevokedKeyUse, type KeyCache } from '../api-keys/index.ts';
import type { Db } from '../db/client.ts';
import { checkKey, type CredentialThrottle } from '../users/index.ts';

interface AuthKeyOwner { keyId: number; username: string; groups: [string] }

type Deps = { db: Db; keyCache: KeyCache; throttle: CredentialThrottle };

/** The owner of a valid resource key (docs/compatibility.md §2.8) whose account is active, else undefined (a failure from `ip`). */
export function introspectAuthKey(deps: Deps, value: unknown, ip: string, now = new Date()): Promise<AuthKeyOwner | undefined> {
  return checkKey(deps.throttle, ip, () => findOwner(deps, value, now), (owner) => !owner);
}

async function findOwner(deps: Deps, value: unknown, now: Date): Promise<AuthKeyOwner | undefined> {
  const key = await deps.keyCache.find(value);
  if (!key || !isKeyUsable(key, 'resource', now) || !key.owner.isActive) {
    await noteRevokedKeyUse(deps, key, 'geoserver-authkey'); // #21: the refusal path only
    return undefined;
  }
  // GeoServer's roles regex captures only the first string of the array, so every team name
  // travels in one comma-joined string (the original's PR #55); no teams is [""].
  return { keyId: key.id, username: key.owner.username, groups: [key.owner.teams.join(',')] };
}
