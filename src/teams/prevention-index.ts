// Which clients have a login prevention at all: a small set, read on every authorize request.
// It is kept in memory for a minute and reloaded at once when a prevention changes anywhere
// (db/change-feed.ts), so the common case, a client without one, costs no statement.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { loginPreventions, oauthClients } from '../db/schema.ts';

const TTL_MS = 60_000;

export interface PreventionIndex { has(clientId: string): Promise<boolean>; invalidate(): void }

export function createPreventionIndex(db: Db): PreventionIndex {
  let loaded: { at: number; ids: Promise<Set<string>> } | undefined;
  const load = async () => new Set((await db.select({ id: oauthClients.clientId }).from(loginPreventions)
    .innerJoin(oauthClients, eq(oauthClients.id, loginPreventions.clientId))).map((r) => r.id));
  return {
    async has(clientId) {
      if (!loaded || Date.now() - loaded.at > TTL_MS) loaded = { at: Date.now(), ids: load() };
      return (await loaded.ids).has(clientId);
    },
    invalidate: () => { loaded = undefined; },
  };
}
