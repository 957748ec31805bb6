// oidc-provider's storage: every model in one `oidc_payloads` table, except Client, which reads
// the client registry. Ids of tokens, codes and sessions are bearer credentials, so rows are
// keyed by their keyed hash and the payload is stored without its `jti`: a dump yields none.
// The hash does not depend on the model, so one statement finds an id under every model.
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../db/client.ts';
import { oidcPayloads } from '../db/schema.ts';
import { lookupHash, type SecretKeys } from '../crypto/keys.ts';
import type { ClientCache, ClientRow } from '../clients/index.ts';
import { toClientMetadata } from './client-metadata.ts';
import { MEMO, requestMemo } from './request-memo.ts';
import { bufferKey, writeBuffer } from './write-buffer.ts';

export interface AdapterDeps { db: Db; keys: SecretKeys; clientCache: ClientCache }

function notExpired() {
  return or(isNull(oidcPayloads.expiresAt), gt(oidcPayloads.expiresAt, sql`now()`));
}

/**
 * Grants are read by every token exchange and userinfo call and change only on consent and
 * revocation, which go through this adapter: they are cached write-through for half a minute.
 * A grant revoked on another node stays cached here at most that long, but the tokens it
 * covered are deleted in the database, so nothing can use it.
 */
const GRANT_TTL_MS = 30_000;
const LOOKUPS = 'djam:lookups';
type GrantCache = Map<string, { payload: Record<string, unknown>; expiresMs: number }>;

class PayloadAdapter implements Adapter {
  constructor(private readonly model: string, private readonly deps: AdapterDeps, private readonly grants?: GrantCache) {}

  private key(id: string): string {
    return lookupHash(this.deps.keys, `oidc:${id}`);
  }

  /** This request's look-ups by id (see rowsFor), kept apart from the memo's other entries. */
  private static lookups(): Map<string, ReturnType<PayloadAdapter['rowsFor']>> | undefined {
    const memo = requestMemo();
    if (!memo) return undefined;
    let lookups = memo.get(LOOKUPS) as Map<string, ReturnType<PayloadAdapter['rowsFor']>> | undefined;
    if (!lookups) memo.set(LOOKUPS, (lookups = new Map()));
    return lookups;
  }

  private forget(hash?: string): void {
    const lookups = PayloadAdapter.lookups();
    if (hash) lookups?.delete(hash);
    else lookups?.clear();
  }

  /** Every model stored under this id, fetched once per request. */
  private rowsFor(hash: string): Promise<Array<{ model: string; payload: Record<string, unknown>; consumedAt: Date | null }>> {
    const lookups = PayloadAdapter.lookups();
    const cached = lookups?.get(hash);
    if (cached) return cached;
    const pending = this.deps.db.select({ model: oidcPayloads.model, payload: oidcPayloads.payload, consumedAt: oidcPayloads.consumedAt })
      .from(oidcPayloads).where(and(eq(oidcPayloads.id, hash), notExpired()))
      .execute(); // a drizzle builder runs again at every await: take the one promise
    lookups?.set(hash, pending);
    return pending;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const { jti: _jti, ...stored } = payload as AdapterPayload & { djamSessionUuid?: string };
    const sessionUuid = requestMemo()?.get(MEMO.sessionUuid);
    if (this.model === 'AuthorizationCode' && typeof sessionUuid === 'string') stored.djamSessionUuid = sessionUuid;
    const row = {
      payload: stored as Record<string, unknown>, grantId: payload.grantId ?? null, uid: payload.uid ?? null,
      userCode: payload.userCode ?? null, expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
    };
    const hash = this.key(id);
    this.forget(hash);
    this.grants?.delete(hash);
    const buffer = writeBuffer();
    if (buffer) buffer.set(bufferKey(this.model, hash), { model: this.model, id: hash, ...row, consumedAt: null });
    else {
      await this.deps.db.insert(oidcPayloads).values({ model: this.model, id: hash, ...row })
        .onConflictDoUpdate({ target: [oidcPayloads.model, oidcPayloads.id], set: row });
    }
    this.grants?.set(hash, { payload: stored as Record<string, unknown>, expiresMs: Date.now() + Math.min(GRANT_TTL_MS, (expiresIn || Infinity) * 1000) });
  }

  /** A row this request saved but has not written yet. */
  private pending(hash: string) {
    return writeBuffer()?.get(bufferKey(this.model, hash));
  }

  private async findWhere(where: ReturnType<typeof eq>, matches: (row: { uid?: string | null; userCode?: string | null }) => boolean): Promise<AdapterPayload | undefined> {
    const buffered = [...(writeBuffer()?.values() ?? [])].find((r) => r.model === this.model && matches(r));
    if (buffered) return { ...buffered.payload } as AdapterPayload;
    const [row] = await this.deps.db.select({ payload: oidcPayloads.payload, consumedAt: oidcPayloads.consumedAt })
      .from(oidcPayloads).where(and(eq(oidcPayloads.model, this.model), where, notExpired())).limit(1);
    if (!row) return undefined;
    return { ...row.payload, ...(row.consumedAt ? { consumed: true } : {}) } as AdapterPayload;
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const hash = this.key(id);
    const buffered = this.pending(hash);
    if (buffered) return { ...buffered.payload, jti: id, ...(buffered.consumedAt ? { consumed: true } : {}) } as AdapterPayload;
    const cached = this.grants?.get(hash);
    if (cached && cached.expiresMs > Date.now()) return { ...cached.payload, jti: id } as AdapterPayload;
    const row = (await this.rowsFor(hash)).find((r) => r.model === this.model);
    if (!row) return undefined;
    if (this.grants && !row.consumedAt) this.grants.set(hash, { payload: row.payload, expiresMs: Date.now() + GRANT_TTL_MS });
    const { djamSessionUuid, ...payload } = row.payload;
    if (djamSessionUuid) requestMemo()?.set(MEMO.codeSessionUuid, djamSessionUuid);
    return { ...payload, jti: id, ...(row.consumedAt ? { consumed: true } : {}) } as AdapterPayload;
  }

  findByUid(uid: string) {
    return this.findWhere(eq(oidcPayloads.uid, uid), (r) => r.uid === uid);
  }

  findByUserCode(userCode: string) {
    return this.findWhere(eq(oidcPayloads.userCode, userCode), (r) => r.userCode === userCode);
  }

  async consume(id: string): Promise<void> {
    this.forget(this.key(id));
    const buffered = this.pending(this.key(id));
    if (buffered) buffered.consumedAt = new Date();
    await this.deps.db.update(oidcPayloads).set({ consumedAt: new Date() })
      .where(and(eq(oidcPayloads.model, this.model), eq(oidcPayloads.id, this.key(id))));
  }

  async destroy(id: string): Promise<void> {
    this.forget(this.key(id));
    writeBuffer()?.delete(bufferKey(this.model, this.key(id)));
    this.grants?.delete(this.key(id));
    await this.deps.db.delete(oidcPayloads).where(and(eq(oidcPayloads.model, this.model), eq(oidcPayloads.id, this.key(id))));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.forget();
    const buffer = writeBuffer();
    for (const [k, r] of buffer ?? []) if (r.model === this.model && r.grantId === grantId) buffer!.delete(k);
    this.grants?.delete(this.key(grantId));
    await this.deps.db.delete(oidcPayloads).where(and(eq(oidcPayloads.model, this.model), eq(oidcPayloads.grantId, grantId)));
  }
}

/** Read-only view of the client registry in the shape oidc-provider validates. */
class ClientAdapter implements Adapter {
  // Metadata (with the decrypted secret) is derived once per cached row.
  private readonly metadata = new WeakMap<ClientRow, AdapterPayload>();

  constructor(private readonly deps: AdapterDeps) {}

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

  async upsert(): Promise<void> { throw new Error('clients are managed through the client registry'); }
  async findByUid(): Promise<undefined> { return undefined; }
  async findByUserCode(): Promise<undefined> { return undefined; }
  async consume(): Promise<void> {}
  async destroy(): Promise<void> {}
  async revokeByGrantId(): Promise<void> {}
}

export function adapterFactory(deps: AdapterDeps) {
  const grants: GrantCache = new Map();
  return (model: string): Adapter => {
    if (model === 'Client') return new ClientAdapter(deps);
    return new PayloadAdapter(model, deps, model === 'Grant' ? grants : undefined);
  };
}

/** Removes expired rows; oidc-provider never reads them again. */
export async function deleteExpiredPayloads(db: Db): Promise<void> {
  await db.delete(oidcPayloads).where(sql`${oidcPayloads.expiresAt} < now()`);
}
