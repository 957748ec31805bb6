// Clients registered and changed by someone: an administrator (admin API, console), a user on
// the self-service pages, the CLI. The policy decides who may hand out what: only a superuser
// gives a client the admin API or lets it skip the user's consent (#17 items 2 and 4), and
// a client that already has either is a superuser's to change, rotate or delete.
import { ADMIN_SCOPE, assertMay, audited, type Actor, type ClientTarget } from '../access/index.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { createClient, deleteClient, getClient, rotateClientSecret, updateClient, type ClientRow } from './clients.service.ts';
import type { ClientInput, ProtocolSettings } from './clients.validation.ts';

interface Deps { db: Db; keys: SecretKeys }

/** What the policy weighs of a client, as stored or as it would be after `input`. */
function targetOf(ownerId: number | null, scope: string | undefined, requireConsent: boolean | undefined, protocol?: ProtocolSettings): ClientTarget {
  return {
    ownerId, grantsAdmin: (scope ?? '').split(/\s+/).includes(ADMIN_SCOPE), skipsConsent: requireConsent === false,
    callsOut: !!protocol?.backchannel_logout_uri,
  };
}

const storedTarget = (c: ClientRow) => targetOf(c.ownerId, c.scope, c.requireConsent, c.protocolMetadata as ProtocolSettings);

/** A client the actor may change: refused before anything is written. */
async function managedClient(deps: Deps, actor: Actor, id: number): Promise<ClientRow> {
  const client = await getClient(deps, id);
  assertMay(actor, 'client.manage', storedTarget(client));
  return client;
}

export async function registerClient(deps: Deps, actor: Actor, input: Parameters<typeof createClient>[1]) {
  assertMay(actor, 'client.configure', targetOf(input.ownerId ?? null, input.scope, input.requireConsent, input.protocol));
  return audited(deps.db, actor, async (tx) => {
    const created = await createClient({ db: tx, keys: deps.keys }, input);
    return { action: 'client.create', entityType: 'client', entityId: created.client.clientId, after: created.client, result: created };
  });
}

export async function changeClient(deps: Deps, actor: Actor, id: number, input: ClientInput): Promise<ClientRow> {
  const before = await managedClient(deps, actor, id);
  const protocol = { ...(before.protocolMetadata as ProtocolSettings), ...input.protocol };
  assertMay(actor, 'client.configure', targetOf(before.ownerId, input.scope ?? before.scope, input.requireConsent, protocol));
  return audited(deps.db, actor, async (tx) => {
    const after = await updateClient({ db: tx, keys: deps.keys }, id, input);
    return { action: 'client.update', entityType: 'client', entityId: before.clientId, before, after, result: after };
  });
}

export async function rotateSecretOf(deps: Deps, actor: Actor, id: number): Promise<{ client: ClientRow; secret: string }> {
  const client = await managedClient(deps, actor, id);
  return audited(deps.db, actor, async (tx) => {
    const secret = await rotateClientSecret({ db: tx, keys: deps.keys }, id);
    return { action: 'client.rotate-secret', entityType: 'client', entityId: client.clientId, result: { client, secret } };
  });
}

export async function removeClient(deps: Deps, actor: Actor, id: number): Promise<void> {
  const before = await managedClient(deps, actor, id);
  await audited(deps.db, actor, async (tx) => {
    await deleteClient({ db: tx }, id);
    return { action: 'client.delete', entityType: 'client', entityId: before.clientId, before, result: undefined };
  });
}
