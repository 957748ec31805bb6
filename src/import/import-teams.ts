// Teams (matched by name) and memberships. A team keeps its original id when free, since
// /api/privilege/groups/<id>/ shows it and team-id order is the order of every `groups` list.
import { teamMembers, teams } from '../db/schema.ts';
import { conflict, insertInChunks, type ImportContext } from './import-context.ts';
import { mapLinks, newPairs } from './import-links.ts';

export async function importTeams(ctx: ImportContext): Promise<void> {
  const here = await ctx.db.select({ id: teams.id, name: teams.name }).from(teams);
  const byName = new Map(here.map((t) => [t.name, t.id]));
  const ids = new Set(here.map((t) => t.id));
  const fresh = ctx.source.teams.filter((src) => {
    const id = byName.get(src.name);
    if (id !== undefined) ctx.map.teams.set(src.id, id);
    return id === undefined;
  });
  ctx.report.tallies.teams.unchanged += ctx.source.teams.length - fresh.length;
  for (const src of fresh) if (!ids.has(src.id)) ctx.ids.keep('teams', src.id);
  const rows = fresh.map((src) => {
    const id = ids.has(src.id) ? ctx.ids.next('teams') : src.id;
    if (id !== src.id) conflict(ctx, { table: 'teams', row: `#${src.id} ${src.name}`, resolved: true, reason: `id ${src.id} is taken here; imported as #${id}` });
    ctx.map.teams.set(src.id, id);
    return { id, name: src.name, createdAt: ctx.now, updatedAt: ctx.now };
  });
  await insertInChunks(ctx, 'teams', rows, (chunk) => ctx.db.insert(teams).values(chunk));
  ctx.report.tallies.teams.imported += rows.length;
}

export async function importMemberships(ctx: ImportContext): Promise<void> {
  const pairs = mapLinks(ctx, ctx.source.memberships, 'team members', { map: ctx.map.users, name: 'user' }, { map: ctx.map.teams, name: 'team' });
  const existing = await ctx.db.select({ userId: teamMembers.userId, teamId: teamMembers.teamId }).from(teamMembers);
  const { fresh, known } = newPairs(pairs, existing.map((m) => [m.userId, m.teamId]));
  await insertInChunks(ctx, 'team members', fresh, (chunk) => ctx.db.insert(teamMembers).values(chunk.map(([userId, teamId]) => ({ userId, teamId, createdAt: ctx.now }))));
  ctx.report.tallies['team members'].imported += fresh.length;
  ctx.report.tallies['team members'].unchanged += known;
}
