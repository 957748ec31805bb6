// oidc-provider's storage: every model in one `oidc_payloads` table, except Client, which reads
// the client registry. Ids of tokens, codes and sessions are bearer credentials, so rows are
// keyed by their keyed hash and the payload is stored without its `jti`: a dump yields none.
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../db/client.ts';
import { oidcPayloads } from '../db/schema.ts';
import { lookupHash, type SecretKeys } from '../crypto/keys.ts';
import { findClientByClientId } from '../clients/index.ts';
import { toClientMetadata } from './client-metadata.ts';

export interface AdapterDeps { db: Db; keys: SecretKeys }

function notExpired() {
  return or(isNull(oidcPayloads.expiresAt), gt(oidcPayloads.expiresAt, sql`now()`));
}

class PayloadAdapter implements Adapter {
  constructor(private readonly model: string, private readonly deps: AdapterDeps) {}

  private key(id: string): string {
    return lookupHash(this.deps.keys, `${this.model}:${id}`);
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const { jti: _jti, ...stored } = payload;
    const row = {
      payload: stored as Record<string, unknown>, grantId: payload.grantId ?? null, uid: payload.uid ?? null,
      userCode: payload.userCode ?? null, expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
    };
    await this.deps.db.insert(oidcPayloads).values({ model: this.model, id: this.key(id), ...row })
      .onConflictDoUpdate({ target: [oidcPayloads.model, oidcPayloads.id], set: row });
  }

  private async findWhere(where: ReturnType<typeof eq>, id?: string): Promise<AdapterPayload | undefined> {
    const [row] = await this.deps.db.select({ payload: oidcPayloads.payload, consumedAt: oidcPayloads.consumedAt })
      .from(oidcPayloads).where(and(eq(oidcPayloads.model, this.model), where, notExpired())).limit(1);
    if (!row) return undefined;
    return { ...row.payload, ...(id ? { jti: id } : {}), ...(row.consumedAt ? { consumed: true } : {}) } as AdapterPayload;
  }

  find(id: string) {
    return this.findWhere(eq(oidcPayloads.id, this.key(id)), id);
  }

  findByUid(uid: string) {
    return this.findWhere(eq(oidcPayloads.uid, uid));
  }

  findByUserCode(userCode: string) {
    return this.findWhere(eq(oidcPayloads.userCode, userCode));
  }

  async consume(id: string): Promise<void> {
    await this.deps.db.update(oidcPayloads).set({ consumedAt: new Date() })
      .where(and(eq(oidcPayloads.model, this.model), eq(oidcPayloads.id, this.key(id))));
  }

  async destroy(id: string): Promise<void> {
    await this.deps.db.delete(oidcPayloads).where(and(eq(oidcPayloads.model, this.model), eq(oidcPayloads.id, this.key(id))));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.deps.db.delete(oidcPayloads).where(and(eq(oidcPayloads.model, this.model), eq(oidcPayloads.grantId, grantId)));
  }
}

/** Read-only view of the client registry in the shape oidc-provider validates. */
class ClientAdapter implements Adapter {
  constructor(private readonly deps: AdapterDeps) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    const row = await findClientByClientId(this.deps, id);
    return row ? toClientMetadata(this.deps.keys, row) as AdapterPayload : undefined;
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
