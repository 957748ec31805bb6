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
import { requestMemo } from './request-memo.ts';

export interface AdapterDeps { db: Db; keys: SecretKeys; clientCache: ClientCache }

function notExpired() {
  return or(isNull(oidcPayloads.expiresAt), gt(oidcPayloads.expiresAt, sql`now()`));
}

class PayloadAdapter implements Adapter {
  constructor(private readonly model: string, private readonly deps: AdapterDeps) {}

  private key(id: string): string {
    return lookupHash(this.deps.keys, `oidc:${id}`);
  }

  private forget(hash?: string): void {
    const memo = requestMemo();
    if (hash) memo?.delete(hash);
    else memo?.clear();
  }

  /** Every model stored under this id, fetched once per request. */
  private rowsFor(hash: string): Promise<Array<{ model: string; payload: Record<string, unknown>; consumedAt: Date | null }>> {
    const memo = requestMemo();
    const cached = memo?.get(hash) as ReturnType<PayloadAdapter['rowsFor']> | undefined;
    if (cached) return cached;
    const pending = this.deps.db.select({ model: oidcPayloads.model, payload: oidcPayloads.payload, consumedAt: oidcPayloads.consumedAt })
      .from(oidcPayloads).where(and(eq(oidcPayloads.id, hash), notExpired()))
      .execute(); // a drizzle builder runs again at every await: take the one promise
    memo?.set(hash, pending);
    return pending;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const { jti: _jti, ...stored } = payload;
    const row = {
      payload: stored as Record<string, unknown>, grantId: payload.grantId ?? null, uid: payload.uid ?? null,
      userCode: payload.userCode ?? null, expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
    };
    const hash = this.key(id);
    this.forget(hash);
    await this.deps.db.insert(oidcPayloads).values({ model: this.model, id: hash, ...row })
      .onConflictDoUpdate({ target: [oidcPayloads.model, oidcPayloads.id], set: row });
  }

  private async findWhere(where: ReturnType<typeof eq>): Promise<AdapterPayload | undefined> {
    const [row] = await this.deps.db.select({ payload: oidcPayloads.payload, consumedAt: oidcPayloads.consumedAt })
      .from(oidcPayloads).where(and(eq(oidcPayloads.model, this.model), where, notExpired())).limit(1);
    if (!row) return undefined;
    return { ...row.payload, ...(row.consumedAt ? { consumed: true } : {}) } as AdapterPayload;
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const row = (await this.rowsFor(this.key(id))).find((r) => r.model === this.model);
    if (!row) return undefined;
    return { ...row.payload, jti: id, ...(row.consumedAt ? { consumed: true } : {}) } as AdapterPayload;
  }

  findByUid(uid: string) {
    return this.findWhere(eq(oidcPayloads.uid, uid));
  }

  findByUserCode(userCode: string) {
    return this.findWhere(eq(oidcPayloads.userCode, userCode));
  }

  async consume(id: string): Promise<void> {
    this.forget(this.key(id));
    await this.deps.db.update(oidcPayloads).set({ consumedAt: new Date() })
      .where(and(eq(oidcPayloads.model, this.model), eq(oidcPayloads.id, this.key(id))));
  }

  async destroy(id: string): Promise<void> {
    this.forget(this.key(id));
    await this.deps.db.delete(oidcPayloads).where(and(eq(oidcPayloads.model, this.model), eq(oidcPayloads.id, this.key(id))));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.forget();
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
  return (model: string): Adapter => (model === 'Client' ? new ClientAdapter(deps) : new PayloadAdapter(model, deps));
}

/** Removes expired rows; oidc-provider never reads them again. */
export async function deleteExpiredPayloads(db: Db): Promise<void> {
  await db.delete(oidcPayloads).where(sql`${oidcPayloads.expiresAt} < now()`);
}
