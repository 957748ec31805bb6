// Resources (upstream services and other protected things) and the access rules that open
// them to a role. A user may use a resource when they are superuser, or when an ACTIVE rule
// names one of their effective roles (docs/compatibility.md §2.13, §8.2).
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { accessRules, resources } from '../db/schema.ts';
import { AppError, isUniqueViolation } from '../errors.ts';
import { announceChange } from '../db/change-feed.ts';
import { effectiveRoleIds } from '../privileges/index.ts';

export type Resource = typeof resources.$inferSelect;
export type AccessRule = typeof accessRules.$inferSelect;
export const UPSTREAM_SERVICE = 'Upstream Service';

export interface NewResource { slug: string; url?: string | null; description?: string | null; type?: string | null }

export function validateResource(input: NewResource): void {
  const fields: Record<string, string> = {};
  if (!/^[-a-zA-Z0-9_]{1,50}$/.test(input.slug)) fields.slug = 'Enter a valid slug of letters, numbers, underscores or hyphens (at most 50).';
  if (input.url && !/^https?:\/\/[^\s]+$/.test(input.url)) fields.url = 'Enter a valid http(s) URL.';
  if (input.type && input.type !== UPSTREAM_SERVICE) fields.type = `Type must be "${UPSTREAM_SERVICE}" or empty.`;
  if (input.type === UPSTREAM_SERVICE && !input.url) fields.url = 'An upstream service needs a URL.';
  if (Object.keys(fields).length) throw new AppError('VALIDATION_FAILED', { details: { fields } });
}

export async function createResource(deps: { db: Db }, input: NewResource): Promise<Resource> {
  validateResource(input);
  try {
    const [row] = await deps.db.insert(resources).values({
      slug: input.slug, url: input.url ?? null, description: input.description ?? null, type: input.type ?? null,
    }).returning();
    await announceChange(deps.db, 'privileges', `resource:${row.id}`);
    return row;
  } catch (cause) {
    if (isUniqueViolation(cause)) throw new AppError('VALIDATION_FAILED', { details: { fields: { slug: 'A resource with that slug already exists.' } }, cause });
    throw cause;
  }
}

export async function createAccessRule(deps: { db: Db }, input: { resourceId: number; roleId: number; active?: boolean }): Promise<AccessRule> {
  const [row] = await deps.db.insert(accessRules).values({ ...input, active: input.active ?? false }).returning();
  await announceChange(deps.db, 'privileges', `rule:${row.id}`);
  return row;
}

/** Resources the user may use, by slug order. */
export async function listUsableResources(deps: { db: Db }, user: { id: number; isSuperuser: boolean }): Promise<Resource[]> {
  if (user.isSuperuser) return deps.db.select().from(resources).orderBy(asc(resources.slug));
  return deps.db.select().from(resources).where(sql`exists (select 1 from ${accessRules} where ${accessRules.resourceId} = ${resources.id}
    and ${accessRules.active} and ${accessRules.roleId} in ${effectiveRoleIds(user.id)})`).orderBy(asc(resources.slug));
}

export async function findResourceBySlug(deps: { db: Db }, slug: string): Promise<Resource | undefined> {
  const [row] = await deps.db.select().from(resources).where(eq(resources.slug, slug)).limit(1);
  return row;
}

/**
 * The proxy's rule (docs/compatibility.md §8.2): an ACTIVE access rule must name the resource, with one of the user's
 * effective roles; a superuser passes any active rule, but a resource without one stays closed.
 */
export async function canUseResource(deps: { db: Db }, user: { id: number; isSuperuser: boolean }, resourceId: number): Promise<boolean> {
  const roleMatch = user.isSuperuser ? sql`true` : sql`${accessRules.roleId} in ${effectiveRoleIds(user.id)}`;
  const [row] = await deps.db.select({ id: accessRules.id }).from(accessRules)
    .where(and(eq(accessRules.resourceId, resourceId), eq(accessRules.active, true), roleMatch)).limit(1);
  return Boolean(row);
}
