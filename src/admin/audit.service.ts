// The audit log of the admin API: every change records who made it, what it was, when, and the
// record before and after, with secrets (password hashes, sealed secrets and keys) removed.
// Written in the same transaction as the change, so a change without its entry never commits.
import { and, count, desc, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { auditLog } from '../db/schema.ts';
import { likePattern, offsetOf, type Page, type PageRequest } from '../db/paging.ts';
import type { AdminActor } from './admin.guard.ts';

export type AuditEntry = typeof auditLog.$inferSelect;
const SECRET_FIELD = /password|secret|sealed|hash|^key$/i;

/** A record as the log keeps it: JSON-safe, secret fields dropped. */
export function scrub(record: object | null | undefined): Record<string, unknown> | null {
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

export async function recordAudit(db: Db, actor: AdminActor, change: AuditChange): Promise<void> {
  await db.insert(auditLog).values({
    actorType: actor.type, actorId: actor.id, actorLabel: actor.label.slice(0, 255),
    action: change.action, entityType: change.entityType,
    entityId: change.entityId === undefined || change.entityId === null ? null : String(change.entityId),
    before: scrub(change.before), after: scrub(change.after),
  });
}

/**
 * Runs `change` in a transaction and records what it reports in the same transaction; returns
 * what `change` returns as `result`.
 */
export async function withAudit<R>(
  db: Db, actor: AdminActor, change: (tx: Db) => Promise<AuditChange & { result: R }>,
): Promise<R> {
  return db.transaction(async (tx) => {
    const { result, ...entry } = await change(tx as unknown as Db);
    await recordAudit(tx as unknown as Db, actor, entry);
    return result;
  });
}

export interface AuditFilters { entityType?: string; entityId?: string; actorId?: string; action?: string }

export async function listAuditEntries(deps: { db: Db }, req: PageRequest, filters: AuditFilters): Promise<Page<AuditEntry>> {
  const conditions: SQL[] = [];
  if (filters.entityType) conditions.push(eq(auditLog.entityType, filters.entityType));
  if (filters.entityId) conditions.push(eq(auditLog.entityId, filters.entityId));
  if (filters.actorId) conditions.push(eq(auditLog.actorId, filters.actorId));
  if (filters.action) conditions.push(eq(auditLog.action, filters.action));
  if (req.search) {
    const p = likePattern(req.search);
    conditions.push(or(ilike(auditLog.actorLabel, p), ilike(auditLog.action, p))!);
  }
  const where = and(...conditions);
  const [items, [{ n }]] = await Promise.all([
    deps.db.select().from(auditLog).where(where).orderBy(desc(auditLog.id)).limit(req.pageSize).offset(offsetOf(req)),
    deps.db.select({ n: count() }).from(auditLog).where(where),
  ]);
  return { items, total: n, page: req.page, pageSize: req.pageSize };
}
