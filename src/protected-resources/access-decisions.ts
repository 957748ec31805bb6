// The proxy asks, on every request, "may this user use the resource <slug>, and what are their
// teams?". Answers are kept ten seconds and dropped at once, on every node, when privileges
// or users change (db/change-feed.ts), so a steady stream of proxied requests costs no
// statement for the decision.
import { createCache, type CacheRegistry } from '../cache/index.ts';
import type { Db } from '../db/client.ts';
import { canUseResource, findResourceBySlug, type Resource } from './resources.service.ts';
import { listTeamNamesOfUser } from '../privileges/index.ts';

interface AccessDecision { resource: Resource | undefined; allowed: boolean; teams: string[] }
export interface AccessDecisions {
  decide(user: { id: number; isSuperuser: boolean }, slug: string): Promise<AccessDecision>;
}

async function decideNow(db: Db, user: { id: number; isSuperuser: boolean }, slug: string): Promise<AccessDecision> {
  const resource = await findResourceBySlug({ db }, slug);
  if (!resource) return { resource, allowed: false, teams: [] };
  const allowed = await canUseResource({ db }, user, resource.id);
  return { resource, allowed, teams: allowed ? await listTeamNamesOfUser({ db }, user.id) : [] };
}

export function createAccessDecisions(caches: CacheRegistry, db: Db): AccessDecisions {
  const decisions = createCache<string, AccessDecision>(caches, {
    name: 'access-decisions', ttlMs: 10_000, maxEntries: 50_000,
    dropOn: { privileges: 'all', user: 'all' },
  });
  return {
    decide: async (user, slug) => (await decisions.get(`${user.id}:${user.isSuperuser}:${slug}`, () => decideNow(db, user, slug)))!,
  };
}
