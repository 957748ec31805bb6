// Roles (matched by name) and their grants: to users directly, and to teams (so to their members).
import { roles, teamRoles, userRoles } from '../db/schema.ts';
import { insertInChunks, type ImportContext } from './import-context.ts';
import { mapLinks, newPairs } from './import-links.ts';

export async function importRoles(ctx: ImportContext): Promise<void> {
  const byName = new Map((await ctx.db.select({ id: roles.id, name: roles.name }).from(roles)).map((r) => [r.name, r.id]));
  const rows: Array<typeof roles.$inferInsert> = [];
  for (const src of ctx.source.roles) {
    let id = byName.get(src.name);
    if (id === undefined) {
      id = ctx.ids.next('roles');
      rows.push({ id, name: src.name, createdAt: ctx.now });
      byName.set(src.name, id);
    }
    ctx.map.roles.set(src.id, id);
  }
  await insertInChunks(ctx, 'roles', rows, (chunk) => ctx.db.insert(roles).values(chunk));
  ctx.report.tallies.roles.imported += rows.length;
  ctx.report.tallies.roles.unchanged += ctx.source.roles.length - rows.length;
}

export async function importRoleGrants(ctx: ImportContext): Promise<void> {
  const role = { map: ctx.map.roles, name: 'role' };
  const toUsers = mapLinks(ctx, ctx.source.userRoles, 'user roles', { map: ctx.map.users, name: 'user' }, role);
  const existingUsers = await ctx.db.select({ a: userRoles.userId, b: userRoles.roleId }).from(userRoles);
  const users = newPairs(toUsers, existingUsers.map((r) => [r.a, r.b]));
  await insertInChunks(ctx, 'user roles', users.fresh, (chunk) => ctx.db.insert(userRoles).values(chunk.map(([userId, roleId]) => ({ userId, roleId }))));
  ctx.report.tallies['user roles'].imported += users.fresh.length;
  ctx.report.tallies['user roles'].unchanged += users.known;

  const toTeams = mapLinks(ctx, ctx.source.teamRoles, 'team roles', { map: ctx.map.teams, name: 'team' }, role);
  const existingTeams = await ctx.db.select({ a: teamRoles.teamId, b: teamRoles.roleId }).from(teamRoles);
  const teams = newPairs(toTeams, existingTeams.map((r) => [r.a, r.b]));
  await insertInChunks(ctx, 'team roles', teams.fresh, (chunk) => ctx.db.insert(teamRoles).values(chunk.map(([teamId, roleId]) => ({ teamId, roleId }))));
  ctx.report.tallies['team roles'].imported += teams.fresh.length;
  ctx.report.tallies['team roles'].unchanged += teams.known;
}
