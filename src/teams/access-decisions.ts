// The proxy asks, on every request, "may this user use the resource <slug>, and what are their
// teams?". Answers are kept ten seconds and dropped at once, on every node, when privileges
// change (db/change-feed.ts, topic `privileges`), so a steady stream of proxied requests costs
// no statement for the decision.
import type { Db } from '../db/client.ts';
import { canUseResource, findResourceBySlug, type Resource } from './resources.service.ts';
import { listTeamNamesOfUser } from './teams.service.ts';

const TTL_MS = 10_000;
const MAX_ENTRIES = 50_000;

export interface AccessDecision { resource: Resource | undefined; allowed: boolean; teams: string[] }
export interface AccessDecisions {
  decide(user: { id: number; isSuperuser: boolean }, slug: string): Promise<AccessDecision>;
  invalidate(): void;
}

async function decideNow(db: Db, user: { id: number; isSuperuser: boolean }, slug: string): Promise<AccessDecision> {
  const resource = await findResourceBySlug({ db }, slug);
  if (!resource) return { resource, allowed: false, teams: [] };
  const allowed = await canUseResource({ db }, user, resource.id);
  return { resource, allowed, teams: allowed ? await listTeamNamesOfUser({ db }, user.id) : [] };
}

export function createAccessDecisions(db: Db): AccessDecisions {
  const entries = new Map<string, { decision: Promise<AccessDecision>; expiresMs: number }>();
  return {
    decide(user, slug) {
      const key = `${user.id}:${user.isSuperuser}:${slug}`;
      const hit = entries.get(key);
      if (hit && hit.expiresMs > Date.now()) return hit.decision;
      if (entries.size >= MAX_ENTRIES) entries.clear();
      const decision = decideNow(db, user, slug);
      entries.set(key, { decision, expiresMs: Date.now() + TTL_MS });
      decision.catch(() => entries.delete(key));
      return decision;
    },
    invalidate: () => entries.clear(),
  };
}
