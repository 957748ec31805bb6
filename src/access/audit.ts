// The audit log: who did what to which record, with the record before and after (secrets
// removed). Services write it in the same transaction as the change it describes, whatever door
// the change came through, so a change without its entry never commits.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { auditLog } from '../db/schema.ts';
import { eventOfAudit, recordEvent } from '../events/index.ts';
import type { Actor } from './actor.ts';

const SECRET_FIELD = /password|secret|sealed|hash|^key$|token/i;

/** A record as the log keeps it: JSON-safe, secret fields dropped. */
function scrub(record: object | null | undefined): Record<string, unknown> | null {
  if (!record) return null;
  const plain = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
  for (const name of Object.keys(plain)) if (SECRET_FIELD.test(name)) delete plain[name];
  return plain;
}

export interface AuditChange {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  before?: object | null;
  after?: object | null;
}

/** Writes the audit entry and its event (#21: the event log, searchable and streamed) in `db`'s transaction. */
export async function recordAudit(db: Db, actor: Actor, change: AuditChange): Promise<void> {
  const entityId = change.entityId === undefined || change.entityId === null ? null : String(change.entityId);
  const before = scrub(change.before);
  const after = scrub(change.after);
  const json = (value: Record<string, unknown> | null) => (value === null ? null : JSON.stringify(value));
  // The audit entry rides in the event's statement (one round trip for both).
  const entry = sql`insert into ${auditLog} (actor_type, actor_id, actor_label, action, entity_type, entity_id, before, after)
    values (${actor.kind}, ${actor.id.slice(0, 255)}, ${actor.label.slice(0, 255)}, ${change.action}, ${change.entityType}, ${entityId},
      ${json(before)}::jsonb, ${json(after)}::jsonb)`;
  await recordEvent(db, actor, eventOfAudit(actor, { action: change.action, entityType: change.entityType, entityId, before, after }), entry);
}

/**
 * Runs `change` in a transaction and records what it reports in the same transaction; returns
 * what `change` returns as `result`.
 */
export async function audited<R>(db: Db, actor: Actor, change: (tx: Db) => Promise<AuditChange & { result: R }>): Promise<R> {
  return db.transaction(async (tx) => {
    const { result, ...entry } = await change(tx as unknown as Db);
    await recordAudit(tx as unknown as Db, actor, entry);
    return result;
  });
}
