// Resources (matched by slug) and access rules. The original has no uniqueness on rules, so they
// are matched as a multiset of (resource, role, active): each original rule claims one equal
// rule here, and only the unclaimed ones are added.
import { accessRules, resources } from '../db/schema.ts';
import { conflict, insertInChunks, type ImportContext } from './import-context.ts';

export async function importResources(ctx: ImportContext): Promise<void> {
  const bySlug = new Map((await ctx.db.select({ id: resources.id, slug: resources.slug }).from(resources)).map((r) => [r.slug, r.id]));
  const rows: Array<typeof resources.$inferInsert> = [];
  for (const src of ctx.source.resources) {
    let id = bySlug.get(src.slug);
    if (id === undefined) {
      id = ctx.ids.next('resources');
      rows.push({ id, slug: src.slug, url: src.url, description: src.description, type: src.type, createdAt: ctx.now, updatedAt: ctx.now });
      bySlug.set(src.slug, id);
    }
    ctx.map.resources.set(src.id, id);
  }
  await insertInChunks(ctx, 'resources', rows, (chunk) => ctx.db.insert(resources).values(chunk));
  ctx.report.tallies.resources.imported += rows.length;
  ctx.report.tallies.resources.unchanged += ctx.source.resources.length - rows.length;
}

export async function importAccessRules(ctx: ImportContext): Promise<void> {
  const here = await ctx.db.select({ resourceId: accessRules.resourceId, roleId: accessRules.roleId, active: accessRules.active }).from(accessRules);
  const unclaimed = new Map<string, number>();
  const keyOf = (r: { resourceId: number; roleId: number; active: boolean }) => `${r.resourceId}:${r.roleId}:${r.active}`;
  for (const r of here) unclaimed.set(keyOf(r), (unclaimed.get(keyOf(r)) ?? 0) + 1);
  const rows: Array<typeof accessRules.$inferInsert> = [];
  for (const src of ctx.source.accessRules) {
    const resourceId = ctx.map.resources.get(src.resourceId);
    const roleId = ctx.map.roles.get(src.roleId);
    if (resourceId === undefined || roleId === undefined) {
      conflict(ctx, { table: 'access rules', row: `#${src.id}`, resolved: false, reason: 'its resource or role was not imported' });
      continue;
    }
    const key = keyOf({ resourceId, roleId, active: src.active });
    const left = unclaimed.get(key) ?? 0;
    if (left > 0) {
      unclaimed.set(key, left - 1);
      ctx.report.tallies['access rules'].unchanged++;
    } else {
      rows.push({ id: ctx.ids.next('access_rules'), resourceId, roleId, active: src.active, createdAt: ctx.now });
    }
  }
  await insertInChunks(ctx, 'access rules', rows, (chunk) => ctx.db.insert(accessRules).values(chunk));
  ctx.report.tallies['access rules'].imported += rows.length;
}
