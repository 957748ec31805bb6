// Protected resources and access rules as the admin API manages them. Every change announces
// `privileges` so caches on every node drop stale entries.
import { and, count, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { accessRules, resources } from '../db/schema.ts';
import { likePattern, offsetOf, orderFor, type Page, type PageRequest } from '../db/paging.ts';
import { AppError, isUniqueViolation } from '../errors.ts';
import { announceChange } from '../db/change-feed.ts';
import { validateResource, type AccessRule, type NewResource, type Resource } from './resources.service.ts';

type Deps = { db: Db };

export async function getResource(deps: Deps, id: number): Promise<Resource> {
  const [row] = Number.isSafeInteger(id) ? await deps.db.select().from(resources).where(eq(resources.id, id)).limit(1) : [];
  if (!row) throw new AppError('RESOURCE_NOT_FOUND', { details: { id } });
  return row;
}

export async function listResourcesPage(deps: Deps, req: PageRequest): Promise<Page<Resource>> {
  const p = req.search ? likePattern(req.search) : undefined;
  const where = p ? or(ilike(resources.slug, p), ilike(resources.description, p), ilike(resources.url, p)) : undefined;
  const items = await deps.db.select().from(resources).where(where)
    .orderBy(...orderFor(req.sort, { id: resources.id, slug: resources.slug, created_at: resources.createdAt }, resources.id))
    .limit(req.pageSize).offset(offsetOf(req));
  const [{ n }] = await deps.db.select({ n: count() }).from(resources).where(where);
  return { items, total: n, page: req.page, pageSize: req.pageSize };
}

export async function updateResource(deps: Deps, id: number, input: NewResource): Promise<Resource> {
  validateResource(input);
  try {
    const [row] = await deps.db.update(resources).set({
      slug: input.slug, url: input.url ?? null, description: input.description ?? null, type: input.type ?? null, updatedAt: new Date(),
    }).where(eq(resources.id, id)).returning();
    if (!row) throw new AppError('RESOURCE_NOT_FOUND', { details: { id } });
    await announceChange(deps.db, 'privileges', `resource:${id}`);
    return row;
  } catch (cause) {
    if (isUniqueViolation(cause)) throw new AppError('VALIDATION_FAILED', { details: { fields: { slug: 'A resource with that slug already exists.' } }, cause });
    throw cause;
  }
}

export async function deleteResource(deps: Deps, id: number): Promise<void> {
  await deps.db.delete(resources).where(eq(resources.id, id));
  await announceChange(deps.db, 'privileges', `resource:${id}`);
}

// Access rules

export async function getAccessRule(deps: Deps, id: number): Promise<AccessRule> {
  const [row] = Number.isSafeInteger(id) ? await deps.db.select().from(accessRules).where(eq(accessRules.id, id)).limit(1) : [];
  if (!row) throw new AppError('ACCESS_RULE_NOT_FOUND', { details: { id } });
  return row;
}

export interface AccessRuleFilters { resourceId?: number; roleId?: number; active?: boolean }

export async function listAccessRulesPage(deps: Deps, req: PageRequest, filters: AccessRuleFilters): Promise<Page<AccessRule>> {
  const conditions: SQL[] = [];
  if (filters.resourceId !== undefined) conditions.push(eq(accessRules.resourceId, filters.resourceId));
  if (filters.roleId !== undefined) conditions.push(eq(accessRules.roleId, filters.roleId));
  if (filters.active !== undefined) conditions.push(eq(accessRules.active, filters.active));
  const where = and(...conditions);
  const items = await deps.db.select().from(accessRules).where(where)
    .orderBy(...orderFor(req.sort, { id: accessRules.id, created_at: accessRules.createdAt }, accessRules.id))
    .limit(req.pageSize).offset(offsetOf(req));
  const [{ n }] = await deps.db.select({ n: count() }).from(accessRules).where(where);
  return { items, total: n, page: req.page, pageSize: req.pageSize };
}

export async function updateAccessRule(deps: Deps, id: number, change: { resourceId?: number; roleId?: number; active?: boolean }): Promise<AccessRule> {
  const [row] = await deps.db.update(accessRules).set(change).where(eq(accessRules.id, id)).returning();
  if (!row) throw new AppError('ACCESS_RULE_NOT_FOUND', { details: { id } });
  await announceChange(deps.db, 'privileges', `rule:${id}`);
  return row;
}

export async function deleteAccessRule(deps: Deps, id: number): Promise<void> {
  await deps.db.delete(accessRules).where(eq(accessRules.id, id));
  await announceChange(deps.db, 'privileges', `rule:${id}`);
}
