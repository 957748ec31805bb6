// The documented-but-never-built `Authorization: apiKey <key>` on GeoServer's users endpoint
// (docs/compatibility.md §4.3, a MAY of the contract): a usable management key of an active user.
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { findApiKey, isKeyUsable, noteRevokedKeyUse } from '../api-keys/index.ts';
import { checkKey, type CredentialThrottle } from '../users/index.ts';

type Deps = { db: Db; keys: SecretKeys; throttle: CredentialThrottle };
type Holder = { keyId: number; isStaff: boolean };

/** The holder of a usable management key, else undefined (a failure from `ip`). */
export function findManagementKeyHolder(deps: Deps, value: string, ip: string): Promise<Holder | undefined> {
  return checkKey(deps.throttle, ip, async () => {
    const key = await findApiKey(deps, value);
    if (!key || !isKeyUsable(key, 'management') || !key.owner.isActive) {
      await noteRevokedKeyUse(deps, key, 'geoserver-users-apikey');
      return undefined;
    }
    return { keyId: key.id, isStaff: key.owner.isStaff };
  }, (holder) => !holder);
}
