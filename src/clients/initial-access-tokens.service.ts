// The initial access tokens of dynamic registration (#24), as the provider stores them
// (oidc_payloads, keyed by the keyed hash of the token: the hash is the id the admin API shows).
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { oidcPayloads } from '../db/schema.ts';

const MODEL = 'InitialAccessToken';

export interface InitialAccessTokenRow { id: string; expiresAt: Date | null; policies: string[] }

export async function listInitialAccessTokens(deps: { db: Db }): Promise<InitialAccessTokenRow[]> {
  const rows = await deps.db.select({ id: oidcPayloads.id, expiresAt: oidcPayloads.expiresAt, payload: oidcPayloads.payload }).from(oidcPayloads)
    .where(and(eq(oidcPayloads.model, MODEL), gt(oidcPayloads.expiresAt, sql`now()`))).orderBy(oidcPayloads.expiresAt);
  return rows.map((r) => ({ id: r.id, expiresAt: r.expiresAt, policies: Array.isArray(r.payload.policies) ? r.payload.policies as string[] : [] }));
}

/** False when no such token is stored. */
export async function deleteInitialAccessToken(deps: { db: Db }, id: string): Promise<boolean> {
  const gone = await deps.db.delete(oidcPayloads).where(and(eq(oidcPayloads.model, MODEL), eq(oidcPayloads.id, id))).returning({ id: oidcPayloads.id });
  return gone.length > 0;
}
