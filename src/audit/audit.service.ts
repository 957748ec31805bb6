// The audit log as the admin API lists it; entries are written by the services (access/audit.ts).
import { and, count, desc, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { auditLog } from '../db/schema.ts';
import { likePattern, offsetOf, type Page, type PageRequest } from '../db/paging.ts';

export type AuditEntry = typeof auditLog.$inferSelect;

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
