// Login preventions as the admin API manages them. Every change announces `login-prevention` so
// every node reloads its prevention index (prevention-index.ts).
import { asc, count, eq, ilike, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { loginPreventions, loginPreventionTeams, oauthClients } from '../db/schema.ts';
import { likePattern, offsetOf, orderFor, type Page, type PageRequest } from '../db/paging.ts';
import { AppError } from '../errors.ts';
import { announceChange } from '../db/change-feed.ts';

type Deps = { db: Db };

export interface LoginPreventionView { id: number; clientRowId: number; clientId: string; teamIds: number[]; createdAt: Date }

async function preventionViews(deps: Deps, where: SQL | undefined, req?: PageRequest): Promise<LoginPreventionView[]> {
  const base = deps.db.select({ id: loginPreventions.id, clientRowId: loginPreventions.clientId, clientId: oauthClients.clientId, createdAt: loginPreventions.createdAt })
    .from(loginPreventions).innerJoin(oauthClients, eq(oauthClients.id, loginPreventions.clientId)).where(where)
    .orderBy(...orderFor(req?.sort, { id: loginPreventions.id, client_id: oauthClients.clientId }, loginPreventions.id));
  const rows = req ? await base.limit(req.pageSize).offset(offsetOf(req)) : await base;
  const views: LoginPreventionView[] = [];
  for (const r of rows) {
    const teams = await deps.db.select({ id: loginPreventionTeams.teamId }).from(loginPreventionTeams)
      .where(eq(loginPreventionTeams.preventionId, r.id)).orderBy(asc(loginPreventionTeams.teamId));
    views.push({ ...r, teamIds: teams.map((t) => t.id) });
  }
  return views;
}

export async function listLoginPreventionsPage(deps: Deps, req: PageRequest): Promise<Page<LoginPreventionView>> {
  const where = req.search ? ilike(oauthClients.clientId, likePattern(req.search)) : undefined;
  const items = await preventionViews(deps, where, req);
  const [{ n }] = await deps.db.select({ n: count() }).from(loginPreventions)
    .innerJoin(oauthClients, eq(oauthClients.id, loginPreventions.clientId)).where(where);
  return { items, total: n, page: req.page, pageSize: req.pageSize };
}

export async function getLoginPrevention(deps: Deps, id: number): Promise<LoginPreventionView> {
  const [view] = Number.isSafeInteger(id) ? await preventionViews(deps, eq(loginPreventions.id, id)) : [];
  if (!view) throw new AppError('LOGIN_PREVENTION_NOT_FOUND', { details: { id } });
  return view;
}

export async function findLoginPreventionOfClient(deps: Deps, clientRowId: number): Promise<LoginPreventionView | undefined> {
  const [view] = await preventionViews(deps, eq(loginPreventions.clientId, clientRowId));
  return view;
}

export async function deleteLoginPrevention(deps: Deps, id: number): Promise<void> {
  const rows = await deps.db.delete(loginPreventions).where(eq(loginPreventions.id, id)).returning({ clientId: loginPreventions.clientId });
  for (const r of rows) await announceChange(deps.db, 'login-prevention', String(r.clientId));
}
