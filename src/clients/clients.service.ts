// The OAuth/OIDC client registry. Secrets are generated here, shown once to whoever created
// the client, and stored sealed (AES-256-GCM) because the provider must compare them and sign
// HS256 id_tokens with them.
import { randomBytes } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { oauthClients } from '../db/schema.ts';
import { seal, type SecretKeys } from '../crypto/keys.ts';
import { AppError, isUniqueViolation } from '../errors.ts';
import { announceChange } from '../db/change-feed.ts';
import { validateClientInput, type ClientInput } from './clients.validation.ts';

export type ClientRow = typeof oauthClients.$inferSelect;
interface Deps { db: Db; keys: SecretKeys }

const DEFAULT_CLIENT_SCOPE = 'openid profile email user_id groups offline_access read write token_introspection';

function generateClientId(): string {
  return randomBytes(20).toString('base64url');
}

function generateClientSecret(): string {
  return randomBytes(48).toString('base64url');
}

/** RFC 8628's grant type, as the provider names it (the registry's surfaces say `device_code`). */
const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

const GRANTS_OF: Record<ClientInput['grantType'], string[]> = {
  authorization_code: ['authorization_code', 'refresh_token'],
  client_credentials: ['client_credentials'],
  device_code: [DEVICE_CODE_GRANT, 'refresh_token'],
};

/** The surfaces' one grant type of a stored client. */
export function grantTypeOf(row: Pick<ClientRow, 'grantTypes'>): ClientInput['grantType'] {
  if (row.grantTypes.includes(DEVICE_CODE_GRANT)) return 'device_code';
  return row.grantTypes.includes('client_credentials') ? 'client_credentials' : 'authorization_code';
}

function columnsFor(input: ClientInput) {
  const grantTypes = GRANTS_OF[input.grantType];
  return {

    name: input.name, clientType: input.clientType, grantTypes,
    responseTypes: input.grantType === 'authorization_code' ? ['code'] : [],
    redirectUris: input.redirectUris, postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
    requireConsent: input.requireConsent ?? true, jwtAlg: input.jwtAlg ?? 'RS256', updatedAt: new Date(),
  };
}

/** Registers a client; returns the row and the clear secret, which is never readable again here. */
export async function createClient(deps: Deps, raw: ClientInput & { ownerId?: number | null; clientId?: string; clientSecret?: string }) {
  const input = validateClientInput(raw);
  const clientId = raw.clientId ?? generateClientId();
  const secret = input.clientType === 'public' ? null : raw.clientSecret ?? generateClientSecret();
  // By default a client may introspect its own tokens (DJAM's rule needs its id among its scopes).
  const scope = input.scope ?? `${DEFAULT_CLIENT_SCOPE} ${clientId}`;
  try {
    const [row] = await deps.db.insert(oauthClients).values({
      ...columnsFor(input), clientId, scope, ownerId: raw.ownerId ?? null,
      // #24: without groups_claim the original's nested `groups` (the surfaces ask for flat on new clients).
      protocolMetadata: { ...input.protocol },
      clientSecretSealed: secret === null ? null : seal(deps.keys, secret),
    }).returning();
    return { client: row, clientSecret: secret };
  } catch (cause) {
    if (isUniqueViolation(cause)) throw new AppError('CLIENT_ID_TAKEN', { cause });
    throw cause;
  }
}

export async function updateClient(deps: Deps, id: number, raw: ClientInput): Promise<ClientRow> {
  const input = validateClientInput(raw);
  const before = await getClient(deps, id);
  // Switching to public drops the secret; switching to confidential needs a new one (rotate).
  const secret = input.clientType === 'public' ? { clientSecretSealed: null } : {};
  const [row] = await deps.db.update(oauthClients)
    .set({
      ...columnsFor(input), ...secret, ...(input.scope ? { scope: input.scope } : {}),
      // Settings a surface does not show (the applications page) are kept as they were.
      ...(input.protocol ? { protocolMetadata: { ...before.protocolMetadata, ...input.protocol } } : {}),
    })
    .where(eq(oauthClients.id, before.id)).returning();
  await announceChange(deps.db, 'client', row.clientId);
  return row;
}

export async function rotateClientSecret(deps: Deps, id: number): Promise<string> {
  const secret = generateClientSecret();
  const rows = await deps.db.update(oauthClients).set({ clientSecretSealed: seal(deps.keys, secret), clientType: 'confidential', updatedAt: new Date() })
    .where(eq(oauthClients.id, id)).returning({ clientId: oauthClients.clientId });
  for (const r of rows) await announceChange(deps.db, 'client', r.clientId);
  return secret;
}

export async function getClient(deps: { db: Db }, id: number): Promise<ClientRow> {
  const [row] = Number.isSafeInteger(id) ? await deps.db.select().from(oauthClients).where(eq(oauthClients.id, id)).limit(1) : [];
  if (!row) throw new AppError('CLIENT_NOT_FOUND', { details: { id } });
  return row;
}

export async function findClientByClientId(deps: { db: Db }, clientId: string): Promise<ClientRow | undefined> {
  // #18: PostgreSQL refuses NUL in text, so no stored client_id holds one: such an id
  // (`client_id=%00` at any door) is an unknown client, not a failed query.
  if (clientId.includes('\0')) return undefined;
  const [row] = await deps.db.select().from(oauthClients).where(eq(oauthClients.clientId, clientId)).limit(1);
  return row;
}

/** A client owned by the user, or CLIENT_NOT_FOUND (never "forbidden": ids of others stay hidden). */
export async function getOwnedClient(deps: { db: Db }, ownerId: number, id: number): Promise<ClientRow> {
  const [row] = Number.isSafeInteger(id)
    ? await deps.db.select().from(oauthClients).where(and(eq(oauthClients.id, id), eq(oauthClients.ownerId, ownerId))).limit(1)
    : [];
  if (!row) throw new AppError('CLIENT_NOT_FOUND', { details: { id } });
  return row;
}

export async function listClientsOwnedBy(deps: { db: Db }, ownerId: number): Promise<ClientRow[]> {
  return deps.db.select().from(oauthClients).where(eq(oauthClients.ownerId, ownerId)).orderBy(asc(oauthClients.id));
}

export async function deleteClient(deps: { db: Db }, id: number): Promise<void> {
  const rows = await deps.db.delete(oauthClients).where(eq(oauthClients.id, id)).returning({ clientId: oauthClients.clientId });
  for (const r of rows) await announceChange(deps.db, 'client', r.clientId);
}
