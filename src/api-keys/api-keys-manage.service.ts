// API keys issued and managed, whatever the door (admin API, CLI, key API, account page): the
// policy decides whether the actor may touch the owner's keys — staff never those of another
// administrator, and only a superuser chooses a key's value (imports) — and the audit entry
// commits with the change.
import { assertMay, audited, type Actor, type UserTarget } from '../access/index.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { getUser } from '../users/index.ts';
import { getApiKey, deleteApiKey, type AdminKeyView } from './api-keys-admin.service.ts';
import { createApiKey, revokeKeys, rotateKey, setKeyExpiry, setKeyRevoked, type ApiKeyScope, type NewApiKey } from './api-keys.service.ts';

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

// The doors that hold the key and its owner already (the key API's FoundKey, the account page's
// own keys) act through the functions below: no look-up before the change, and an audit record
// of the key built from what they hold, never its value.

/** A key a door has found, with its owner's flags. */
export interface HeldKey {
  id: number; userId: number; scope: string; revoked: boolean; expiry: Date;
  owner: { isStaff: boolean; isSuperuser: boolean };
}

/** What the audit log keeps of a key: no value, whatever else the door's object carries. */
function keyRecord(k: Omit<HeldKey, 'owner'>) {
  return { id: k.id, userId: k.userId, scope: k.scope, revoked: k.revoked, expiry: k.expiry };
}

const ownerOfHeld = (k: HeldKey): UserTarget => ({ id: k.userId, isStaff: k.owner.isStaff, isSuperuser: k.owner.isSuperuser });

/** Issues a key for `owner`, whom the door has found; the clear value is in the answer only. */
export async function issueKeyFor(
  deps: Deps, actor: Actor, owner: UserTarget & { id: number },
  input: { scope: ApiKeyScope; expiry: Date; revoked?: boolean },
): Promise<{ id: number; key: string }> {
  assertMay(actor, 'api-key.issue', { owner });
  return audited(deps.db, actor, async (tx) => {
    const created = await createApiKey({ db: tx, keys: deps.keys }, { userId: owner.id, scope: input.scope, expiry: input.expiry, revoked: input.revoked });
    const after = keyRecord({ id: created.id, userId: owner.id, scope: input.scope, revoked: input.revoked ?? false, expiry: input.expiry });
    return { action: 'api-key.create', entityType: 'api-key', entityId: created.id, after, result: created };
  });
}

/** Revokes, un-revokes or moves the expiry of a held key. */
export async function updateHeldKey(deps: Deps, actor: Actor, key: HeldKey, change: { revoked?: boolean; expiry?: Date }): Promise<void> {
  assertMay(actor, 'api-key.manage', { owner: ownerOfHeld(key) });
  await audited(deps.db, actor, async (tx) => {
    const txDeps = { db: tx, keys: deps.keys };
    if (change.revoked !== undefined) await setKeyRevoked(txDeps, key.id, change.revoked);
    if (change.expiry !== undefined) await setKeyExpiry(txDeps, key.id, change.expiry);
    const before = keyRecord(key);
    const after = { ...before, revoked: change.revoked ?? key.revoked, expiry: change.expiry ?? key.expiry };
    return { action: 'api-key.update', entityType: 'api-key', entityId: key.id, before, after, result: undefined };
  });
}

/**
 * Revokes a held key (moving its expiry to `oldExpiry` when given) and issues its replacement, a
 * resource key of the same owner expiring at `newExpiry`; the clear value is in the answer only.
 */
export async function rotateApiKey(deps: Deps, actor: Actor, key: HeldKey, opts: { oldExpiry?: Date; newExpiry: Date }): Promise<{ id: number; key: string }> {
  assertMay(actor, 'api-key.manage', { owner: ownerOfHeld(key) });
  return audited(deps.db, actor, async (tx) => {
    const created = await rotateKey({ db: tx, keys: deps.keys }, key, opts);
    const before = keyRecord(key);
    const replacement = keyRecord({ id: created.id, userId: key.userId, scope: 'resource', revoked: false, expiry: opts.newExpiry });
    const after = { ...before, revoked: true, expiry: opts.oldExpiry ?? key.expiry, replacement };
    return { action: 'api-key.rotate', entityType: 'api-key', entityId: key.id, before, after, result: created };
  });
}
