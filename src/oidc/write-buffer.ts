// Write-behind for one provider request (and one interaction step): the payload rows a request
// saves or destroys (interaction, session, grant, code; access and refresh token) are buffered
// and written in ONE statement just before the response leaves (djam-bridge.ts,
// interactions.routes.ts). The same statement announces changed Session, Interaction and Grant
// rows on the change feed, so other nodes drop their copies (payload-cache.ts). A failed write
// turns into an error response, so no client ever holds a code or token that was not stored.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { CHANGE_CHANNEL } from '../db/change-feed.ts';
import { oidcPayloads } from '../db/schema.ts';
import { announcement, CACHED_MODELS, type PayloadCache } from './payload-cache.ts';
import { requestMemo } from './request-memo.ts';

export type PendingRow = typeof oidcPayloads.$inferInsert;
interface Buffer { rows: Map<string, PendingRow>; deletes: Map<string, { model: string; id: string }> }
const KEY = 'djam:pending-writes';

export function startWriteBuffer(): void {
  requestMemo()?.set(KEY, { rows: new Map(), deletes: new Map() } satisfies Buffer);
}

function buffer(): Buffer | undefined {
  return requestMemo()?.get(KEY) as Buffer | undefined;
}

/** The rows saved in this request and not yet written, by bufferKey. */
export function writeBuffer(): Map<string, PendingRow> | undefined {
  return buffer()?.rows;
}

export function bufferKey(model: string, hash: string): string {
  return `${model}/${hash}`;
}

/** Notes a row to save; a destroy of it noted earlier in the request is dropped. */
export function bufferWrite(row: PendingRow): boolean {
  const b = buffer();
  if (!b) return false;
  b.deletes.delete(bufferKey(row.model, row.id));
  b.rows.set(bufferKey(row.model, row.id), row);
  return true;
}

/** Notes a row to destroy (and forgets any save of it); false outside a buffered request. */
export function bufferDelete(model: string, id: string): boolean {
  const b = buffer();
  if (!b) return false;
  b.rows.delete(bufferKey(model, id));
  b.deletes.set(bufferKey(model, id), { model, id });
  return true;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function deleteClause(deletes: Array<{ model: string; id: string }>): SQL {
  const keys = sql.join(deletes.map((d) => sql`(${d.model}, ${d.id})`), sql`, `);
  return sql`deleted as (delete from ${oidcPayloads} where (model, id) in (${keys}))`;
}

function writeClause(rows: PendingRow[]): SQL {
  const values = sql.join(rows.map((r) => sql`(${r.model}, ${r.id}, ${JSON.stringify(r.payload)}::jsonb, ${r.grantId ?? null},
    ${r.uid ?? null}, ${r.userCode ?? null}, ${iso(r.expiresAt)}::timestamptz, ${iso(r.consumedAt)}::timestamptz)`), sql`, `);
  return sql`written as (insert into ${oidcPayloads} (model, id, payload, grant_id, uid, user_code, expires_at, consumed_at)
    values ${values} on conflict (model, id) do update set payload = excluded.payload, grant_id = excluded.grant_id,
    uid = excluded.uid, user_code = excluded.user_code, expires_at = excluded.expires_at, consumed_at = excluded.consumed_at)`;
}

/** Writes (and announces) everything buffered in this request, in one statement. */
export async function flushWrites(db: Db, cache: PayloadCache): Promise<void> {
  const b = buffer();
  if (!b || (!b.rows.size && !b.deletes.size)) return;
  const rows = [...b.rows.values()];
  const deletes = [...b.deletes.values()];
  b.rows.clear();
  b.deletes.clear();
  const clauses = [...(deletes.length ? [deleteClause(deletes)] : []), ...(rows.length ? [writeClause(rows)] : [])];
  const announced = [...rows, ...deletes].filter((r) => CACHED_MODELS.has(r.model)).map((r) => bufferKey(r.model, r.id));
  const then = announced.length ? sql`select pg_notify(${CHANGE_CHANNEL}, ${`oidc:${announcement(cache.nodeId, announced)}`})` : sql`select 1`;
  try {
    await db.execute(sql`with ${sql.join(clauses, sql`, `)} ${then}`);
  } catch (err) {
    // This node cached the rows when they were saved: it must not serve what was never stored.
    for (const r of [...rows, ...deletes]) cache.delete(r.model, r.id);
    throw err;
  }
}
