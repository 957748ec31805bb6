// Write-behind for one provider request (and one interaction step): the payload rows a request
// saves or destroys (interaction, session, grant, code; access and refresh token) are buffered
// and written in ONE statement just before the response leaves (djam-bridge.ts,
// interactions.routes.ts). The same statement announces changed Session, Interaction and Grant
// rows on the change feed, so other nodes drop their copies (payload-cache.ts). A failed write
// turns into an error response, so no client ever holds a code or token that was not stored.
//
// Consuming a code or a rotated refresh token is part of that statement too, and a condition of
// it: the tokens are stored only if every consumed row was still unconsumed. Of two exchanges of
// one code racing each other, exactly one gets tokens (AlreadyConsumed for the other).
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { CHANGE_CHANNEL } from '../db/change-feed.ts';
import { oidcPayloads } from '../db/schema.ts';
import { announcement, CACHED_MODELS, type PayloadCache } from './payload-cache.ts';
import { requestContext, type PendingRow, type PendingWrites, type RowKey } from './request-context.ts';

/** The flush found a consumed row already consumed: nothing of the request was stored. */
export class AlreadyConsumed extends Error {
  constructor(readonly grantIds: string[]) {
    super('a code or refresh token of this request was consumed meanwhile');
  }
}

export function startWriteBuffer(): void {
  const context = requestContext();
  if (context) context.writes = { rows: new Map(), deletes: new Map(), consumes: new Map() };
}

function buffer(): PendingWrites | undefined {
  return requestContext()?.writes;
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

/** Notes a stored row to mark consumed when the request's writes go out; false outside a buffered request. */
export function bufferConsume(model: string, id: string, grantId?: string): boolean {
  const b = buffer();
  if (!b) return false;
  b.consumes.set(bufferKey(model, id), { model, id, grantId });
  return true;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const keyList = (keys: RowKey[]) => sql.join(keys.map((k) => sql`(${k.model}, ${k.id})`), sql`, `);

function consumeClause(consumes: RowKey[]): SQL {
  return sql`consumed as (update ${oidcPayloads} set consumed_at = now() where (model, id) in (${keyList(consumes)})
    and consumed_at is null returning 1)`;
}

/** `guard`: the condition under which the other writes happen (every consume took effect). */
function deleteClause(deletes: RowKey[], guard: SQL): SQL {
  return sql`deleted as (delete from ${oidcPayloads} where (model, id) in (${keyList(deletes)}) and ${guard})`;
}

function writeClause(rows: PendingRow[], guard: SQL): SQL {
  const values = sql.join(rows.map((r) => sql`(${r.model}, ${r.id}, ${JSON.stringify(r.payload)}::jsonb, ${r.grantId ?? null},
    ${r.uid ?? null}, ${r.userCode ?? null}, ${iso(r.expiresAt)}::timestamptz, ${iso(r.consumedAt)}::timestamptz)`), sql`, `);
  return sql`written as (insert into ${oidcPayloads} (model, id, payload, grant_id, uid, user_code, expires_at, consumed_at)
    select * from (values ${values}) as v(model, id, payload, grant_id, uid, user_code, expires_at, consumed_at) where ${guard}
    on conflict (model, id) do update set payload = excluded.payload, grant_id = excluded.grant_id,
    uid = excluded.uid, user_code = excluded.user_code, expires_at = excluded.expires_at, consumed_at = excluded.consumed_at)`;
}

/** Writes (and announces) everything buffered in this request, in one statement. */
export async function flushWrites(db: Db, cache: PayloadCache): Promise<void> {
  const b = buffer();
  if (!b || (!b.rows.size && !b.deletes.size && !b.consumes.size)) return;
  const rows = [...b.rows.values()];
  const deletes = [...b.deletes.values()];
  const consumes = [...b.consumes.values()];
  b.rows.clear();
  b.deletes.clear();
  b.consumes.clear();
  const guard = consumes.length ? sql`(select count(*) from consumed) = ${consumes.length}` : sql`true`;
  const clauses = [
    ...(consumes.length ? [consumeClause(consumes)] : []),
    ...(deletes.length ? [deleteClause(deletes, guard)] : []),
    ...(rows.length ? [writeClause(rows, guard)] : []),
  ];
  const announced = [...rows, ...deletes].filter((r) => CACHED_MODELS.has(r.model)).map((r) => bufferKey(r.model, r.id));
  const notify = announced.length ? sql`, pg_notify(${CHANGE_CHANNEL}, ${`oidc:${announcement(cache.nodeId, announced)}`})` : sql``;
  const consumedCount = consumes.length ? sql`(select count(*) from consumed)::int` : sql`0`;
  let result: unknown;
  try {
    result = await db.execute(sql`with ${sql.join(clauses, sql`, `)} select ${consumedCount} as consumed${notify}`);
  } catch (err) {
    forgetCached(cache, rows, deletes);
    throw err;
  }
  const consumed = (result as { rows: Array<{ consumed: number }> }).rows[0]?.consumed ?? 0;
  if (consumed < consumes.length) {
    forgetCached(cache, rows, deletes);
    throw new AlreadyConsumed([...new Set(consumes.map((c) => c.grantId).filter((g): g is string => Boolean(g)))]);
  }
}

/** This node cached the rows when they were saved: it must not serve what was never stored. */
function forgetCached(cache: PayloadCache, rows: RowKey[], deletes: RowKey[]): void {
  for (const r of [...rows, ...deletes]) cache.delete(r.model, r.id);
}
