// The client registry as staff list it in the admin API.
import { count, ilike, or } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { oauthClients } from '../db/schema.ts';
import { likePattern, offsetOf, orderFor, type Page, type PageRequest } from '../db/paging.ts';
import type { ClientRow } from './clients.service.ts';

export async function listClientsPage(deps: { db: Db }, req: PageRequest): Promise<Page<ClientRow>> {
  const p = req.search ? likePattern(req.search) : undefined;
  const where = p ? or(ilike(oauthClients.name, p), ilike(oauthClients.clientId, p)) : undefined;
  const items = await deps.db.select().from(oauthClients).where(where)
    .orderBy(...orderFor(req.sort, { id: oauthClients.id, name: oauthClients.name, client_id: oauthClients.clientId, created_at: oauthClients.createdAt }, oauthClients.id))
    .limit(req.pageSize).offset(offsetOf(req));
  const [{ n }] = await deps.db.select({ n: count() }).from(oauthClients).where(where);
  return { items, total: n, page: req.page, pageSize: req.pageSize };
}
