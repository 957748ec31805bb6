// oidc-provider's storage: every model in one `oidc_payloads` table, except Client, which reads
// the client registry. Ids of tokens, codes and sessions are bearer credentials, so rows are
// keyed by their keyed hash and the payload is stored without its `jti`: a dump yields none.
// The hash does not depend on the model, so one statement finds an id under every model.
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../db/client.ts';
import { oidcPayloads } from '../db/schema.ts';
import { lookupHash, seal, unseal, type SecretKeys } from '../crypto/keys.ts';
import { deleteRegisteredClient, saveRegisteredClient, type ClientCache, type ClientRow } from '../clients/index.ts';
import { toClientMetadata } from './client-metadata.ts';
import { requestContext, type StoredRow } from './request-context.ts';
import { bufferConsume, bufferDelete, bufferKey, bufferWrite, writeBuffer } from './write-buffer.ts';
import { announcement, CACHED_MODELS, type PayloadCache } from './payload-cache.ts';
import { announceChange } from '../db/change-feed.ts';

export interface AdapterDeps { db: Db; keys: SecretKeys; clientCache: ClientCache; payloadCache: PayloadCache }
type PayloadDeps = AdapterDeps & { rowsById: ReturnType<typeof prepareRowsById> };

/**
 * #24: a device code is found again by its user code (RFC 8628 §3.3), and the provider saves it
 * back under its id: that id is kept with the row, sealed (AES-256-GCM), as secrets read back are.
 */
const SEALED_ID = 'djamSealedId';

function notExpired() {
  return or(isNull(oidcPayloads.expiresAt), gt(oidcPayloads.expiresAt, sql`now()`));
}

/**
 * The look-up of every token exchange, introspection and userinfo call, prepared once: the SQL
 * is not built again per request, and PostgreSQL plans it once per connection.
 */
function prepareRowsById(db: Db) {
  return db.select({
    model: oidcPayloads.model, payload: oidcPayloads.payload, consumedAt: oidcPayloads.consumedAt, uid: oidcPayloads.uid, expiresAt: oidcPayloads.expiresAt,
  }).from(oidcPayloads).where(and(eq(oidcPayloads.id, sql.placeholder('id')), notExpired())).prepare('djam_oidc_rows_by_id');
}

/**
 * Session, Interaction and Grant rows are also kept in memory (payload-cache.ts): a browser flow
 * and the token exchanges after it read them back without a statement.
 */
class PayloadAdapter implements Adapter {
  private readonly model: string;
  private readonly deps: PayloadDeps;

  constructor(model: string, deps: PayloadDeps) {
    this.model = model;
    this.deps = deps;
  }

  private key(id: string): string {
    return lookupHash(this.deps.keys, `oidc:${id}`);
  }

  private get cache(): PayloadCache {
    return this.deps.payloadCache;
  }

  /** This request's look-ups by id (see rowsFor). */
  private static lookups(): Map<string, Promise<StoredRow[]>> | undefined {
    return requestContext()?.lookups;
  }

  private forget(hash?: string): void {
    const lookups = PayloadAdapter.lookups();
    if (hash) lookups?.delete(hash);
    else lookups?.clear();
  }

  /** Every model stored under this id, fetched once per request. */
  private rowsFor(hash: string): Promise<StoredRow[]> {
    const lookups = PayloadAdapter.lookups();
    const cached = lookups?.get(hash);
    if (cached) return cached;
    const pending = this.deps.rowsById.execute({ id: hash });
    lookups?.set(hash, pending);
    return pending;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const { jti: _jti, ...stored } = payload as AdapterPayload & { djamSessionUuid?: string };
    const sessionUuid = requestContext()?.sessionUuid;
    if (this.model === 'AuthorizationCode' && sessionUuid) stored.djamSessionUuid = sessionUuid;
    if (this.model === 'DeviceCode') (stored as Record<string, unknown>)[SEALED_ID] = seal(this.deps.keys, id);
    const row = {
      payload: stored as Record<string, unknown>, grantId: payload.grantId ?? null, uid: payload.uid ?? null,
      userCode: payload.userCode ?? null, expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
    };
    const hash = this.key(id);
    this.forget(hash);
    if (!bufferWrite({ model: this.model, id: hash, ...row, consumedAt: null })) {
      await this.deps.db.insert(oidcPayloads).values({ model: this.model, id: hash, ...row })
        .onConflictDoUpdate({ target: [oidcPayloads.model, oidcPayloads.id], set: row });
      if (CACHED_MODELS.has(this.model)) await announceChange(this.deps.db, 'oidc', announcement(this.cache.nodeId, [bufferKey(this.model, hash)]));
    }
    this.cache.set(this.model, hash, { payload: row.payload, uid: row.uid, consumed: false }, row.expiresAt);
  }

  /** A row this request saved but has not written yet. */
  private pending(hash: string) {
    return writeBuffer()?.get(bufferKey(this.model, hash));
  }

  private withJti(id: string, row: { payload: Record<string, unknown>; consumed: boolean }): AdapterPayload {
    const { djamSessionUuid, [SEALED_ID]: _sealed, ...payload } = row.payload;
    const context = requestContext();
    if (typeof djamSessionUuid === 'string' && context) context.codeSessionUuid = djamSessionUuid;
    return { ...payload, jti: id, ...(row.consumed ? { consumed: true } : {}) } as AdapterPayload;
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const hash = this.key(id);
    const buffered = this.pending(hash);
    if (buffered) return this.withJti(id, { payload: buffered.payload, consumed: Boolean(buffered.consumedAt) });
    const cached = this.cache.get(this.model, hash);
    if (cached) return this.withJti(id, cached);
    const row = (await this.rowsFor(hash)).find((r) => r.model === this.model);
    if (!row) return undefined;
    const found = { payload: row.payload, uid: row.uid, consumed: Boolean(row.consumedAt) };
    if (!found.consumed) this.cache.set(this.model, hash, found, row.expiresAt);
    return this.withJti(id, found);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const buffered = [...(writeBuffer()?.values() ?? [])].find((r) => r.model === this.model && r.uid === uid);
    if (buffered) return { ...buffered.payload } as AdapterPayload;
    const cached = this.cache.findByUid(this.model, uid);
    if (cached) return { ...cached.row.payload, ...(cached.row.consumed ? { consumed: true } : {}) } as AdapterPayload;
    const [row] = await this.deps.db.select({ id: oidcPayloads.id, payload: oidcPayloads.payload, consumedAt: oidcPayloads.consumedAt, expiresAt: oidcPayloads.expiresAt })
      .from(oidcPayloads).where(and(eq(oidcPayloads.model, this.model), eq(oidcPayloads.uid, uid), notExpired())).limit(1);
    if (!row) return undefined;
    if (!row.consumedAt) this.cache.set(this.model, row.id, { payload: row.payload, uid, consumed: false }, row.expiresAt);
    return { ...row.payload, ...(row.consumedAt ? { consumed: true } : {}) } as AdapterPayload;
  }

  /** The stored payload with its id back (see SEALED_ID). */
  private unsealed(payload: Record<string, unknown>, consumed: boolean): AdapterPayload {
    const { [SEALED_ID]: sealed, ...rest } = payload;
    return { ...rest, ...(typeof sealed === 'string' ? { jti: unseal(this.deps.keys, sealed) } : {}), ...(consumed ? { consumed: true } : {}) } as AdapterPayload;
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const buffered = [...(writeBuffer()?.values() ?? [])].find((r) => r.model === this.model && r.userCode === userCode);
    if (buffered) return this.unsealed(buffered.payload, false);
    const [row] = await this.deps.db.select({ payload: oidcPayloads.payload, consumedAt: oidcPayloads.consumedAt })
      .from(oidcPayloads).where(and(eq(oidcPayloads.model, this.model), eq(oidcPayloads.userCode, userCode))).limit(1);
    if (!row) return undefined;
    // Expired rows are found too (until the sweep): the page then says "expired", not "unknown".
    return this.unsealed(row.payload, Boolean(row.consumedAt));
  }

  /** The grant of a row this request has read (a replayed code revokes it). */
  private async grantIdRead(hash: string): Promise<string | undefined> {
    const rows = await PayloadAdapter.lookups()?.get(hash);
    const grantId = rows?.find((r) => r.model === this.model)?.payload.grantId;
    return typeof grantId === 'string' ? grantId : undefined;
  }

  /** Inside a provider request, part of the request's one write (see write-buffer.ts). */
  async consume(id: string): Promise<void> {
    const hash = this.key(id);
    const grantId = await this.grantIdRead(hash);
    this.forget(hash);
    this.cache.delete(this.model, hash);
    const buffered = this.pending(hash);
    if (buffered) buffered.consumedAt = new Date();
    else if (bufferConsume(this.model, hash, grantId)) return;
    await this.deps.db.update(oidcPayloads).set({ consumedAt: new Date() })
      .where(and(eq(oidcPayloads.model, this.model), eq(oidcPayloads.id, hash)));
  }

  async destroy(id: string): Promise<void> {
    const hash = this.key(id);
    this.forget(hash);
    this.cache.delete(this.model, hash);
    if (bufferDelete(this.model, hash)) return;
    await this.deps.db.delete(oidcPayloads).where(and(eq(oidcPayloads.model, this.model), eq(oidcPayloads.id, hash)));
    if (CACHED_MODELS.has(this.model)) await announceChange(this.deps.db, 'oidc', announcement(this.cache.nodeId, [bufferKey(this.model, hash)]));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.forget();
    const buffer = writeBuffer();
    for (const [k, r] of buffer ?? []) if (r.model === this.model && r.grantId === grantId) buffer!.delete(k);
    await this.deps.db.delete(oidcPayloads).where(and(eq(oidcPayloads.model, this.model), eq(oidcPayloads.grantId, grantId)));
  }
}

/**
 * The client registry in the shape oidc-provider validates; it writes only what dynamic
 * registration (#24, RFC 7591/7592) creates, changes and deletes.
 */
class ClientAdapter implements Adapter {
  // Metadata (with the decrypted secret) is derived once per cached row.
  private readonly metadata = new WeakMap<ClientRow, AdapterPayload>();
  private readonly deps: AdapterDeps;

  constructor(deps: AdapterDeps) {
    this.deps = deps;
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const row = await this.deps.clientCache.get(id);
    if (!row) return undefined;
    let payload = this.metadata.get(row);
    if (!payload) {
      payload = toClientMetadata(this.deps.keys, row) as AdapterPayload;
      this.metadata.set(row, payload);
    }
    return payload;
  }

  async upsert(_id: string, payload: AdapterPayload): Promise<void> {
    await saveRegisteredClient(this.deps, payload as Record<string, unknown>);
  }

  async findByUid(): Promise<undefined> { return undefined; }
  async findByUserCode(): Promise<undefined> { return undefined; }
  async consume(): Promise<void> {}
  async destroy(id: string): Promise<void> {
    await deleteRegisteredClient(this.deps, id);
  }

  async revokeByGrantId(): Promise<void> {}
}

export function adapterFactory(deps: AdapterDeps) {
  const payloadDeps = { ...deps, rowsById: prepareRowsById(deps.db) };
  return (model: string): Adapter => (model === 'Client' ? new ClientAdapter(deps) : new PayloadAdapter(model, payloadDeps));
}

/** Removes expired rows; oidc-provider never reads them again. */
export async function deleteExpiredPayloads(db: Db): Promise<void> {
  await db.delete(oidcPayloads).where(sql`${oidcPayloads.expiresAt} < now()`);
}
