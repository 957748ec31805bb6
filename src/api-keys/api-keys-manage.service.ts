// API keys issued and managed on someone's behalf (admin API, CLI): the policy decides whether
// the actor may touch the owner's keys — staff never those of another administrator, and only a
// superuser chooses a key's value (imports) — and the audit entry commits with the change.
import { assertMay, audited, type Actor } from '../access/index.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { getUser } from '../users/index.ts';
import { getApiKey, deleteApiKey, type AdminKeyView } from './api-keys-admin.service.ts';
import { createApiKey, revokeKeys, setKeyExpiry, setKeyRevoked, type NewApiKey } from './api-keys.service.ts';

interface Deps { db: Db; keys: SecretKeys }

async function ownerOf(deps: Deps, userId: number) {
  const owner = await getUser(deps, userId);
  return { id: owner.id, isStaff: owner.isStaff, isSuperuser: owner.isSuperuser };
}

/** Issues a key for `input.userId`; the clear value is in the answer only. */
export async function issueApiKey(deps: Deps, actor: Actor, input: NewApiKey): Promise<{ view: AdminKeyView; key: string }> {
  assertMay(actor, 'api-key.issue', { owner: await ownerOf(deps, input.userId), choosesValue: input.value !== undefined });
  return audited(deps.db, actor, async (tx) => {
    const created = await createApiKey({ db: tx, keys: deps.keys }, input);
    const view = await getApiKey({ db: tx, keys: deps.keys }, created.id);
    return { action: 'api-key.create', entityType: 'api-key', entityId: created.id, after: view, result: { view, key: created.key } };
  });
}

/** A key the actor may manage, or the policy's refusal. */
async function managedKey(deps: Deps, actor: Actor, id: number): Promise<AdminKeyView> {
  const key = await getApiKey(deps, id);
  assertMay(actor, 'api-key.manage', { owner: await ownerOf(deps, key.userId) });
  return key;
}

export async function changeApiKey(deps: Deps, actor: Actor, id: number, change: { revoked?: boolean; expiry?: Date }): Promise<AdminKeyView> {
  const before = await managedKey(deps, actor, id);
  return audited(deps.db, actor, async (tx) => {
    const txDeps = { db: tx, keys: deps.keys };
    if (change.revoked !== undefined) await setKeyRevoked(txDeps, id, change.revoked);
    if (change.expiry !== undefined) await setKeyExpiry(txDeps, id, change.expiry);
    const after = await getApiKey(txDeps, id);
    return { action: 'api-key.update', entityType: 'api-key', entityId: id, before, after, result: after };
  });
}

/** Revokes every listed key, or none: an unknown id or one the actor may not manage refuses all. */
export async function revokeApiKeys(deps: Deps, actor: Actor, ids: number[]): Promise<void> {
  for (const id of ids) await managedKey(deps, actor, id);
  await audited(deps.db, actor, async (tx) => {
    await revokeKeys({ db: tx, keys: deps.keys }, ids);
    return { action: 'api-key.bulk-revoke', entityType: 'api-key', entityId: null, after: { ids }, result: undefined };
  });
}

export async function removeApiKey(deps: Deps, actor: Actor, id: number): Promise<void> {
  const before = await managedKey(deps, actor, id);
  await audited(deps.db, actor, async (tx) => {
    await deleteApiKey({ db: tx, keys: deps.keys }, id);
    return { action: 'api-key.delete', entityType: 'api-key', entityId: id, before, result: undefined };
  });
}

