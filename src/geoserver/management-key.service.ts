// The documented-but-never-built `Authorization: apiKey <key>` on GeoServer's users endpoint
// (§4.3, a MAY of the contract): a usable management key of an active user.
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { findApiKey, isKeyUsable } from '../api-keys/index.ts';

export async function findManagementKeyHolder(deps: { db: Db; keys: SecretKeys }, value: string): Promise<{ keyId: number; isStaff: boolean } | undefined> {
  const key = await findApiKey(deps, value);
  if (!key || !isKeyUsable(key, 'management') || !key.owner.isActive) return undefined;
  return { keyId: key.id, isStaff: key.owner.isStaff };
}
