// Clients are read on every token, introspection and authorize request but change rarely: rows
// are kept in memory for a minute, and dropped at once on every node when a change is announced
// (see db/change-feed.ts). Unknown ids are not cached, so a new client is visible immediately.
import type { Db } from '../db/client.ts';
import { findClientByClientId, type ClientRow } from './clients.service.ts';

const TTL_MS = 60_000;
const MAX_ENTRIES = 5_000;

export interface ClientCache {
  get(clientId: string): Promise<ClientRow | undefined>;
  invalidate(clientId: string): void;
}

export function createClientCache(db: Db, ttlMs = TTL_MS): ClientCache {
  const entries = new Map<string, { row: ClientRow; expiresMs: number }>();
  return {
    async get(clientId) {
      const hit = entries.get(clientId);
      if (hit && hit.expiresMs > Date.now()) return hit.row;
      const row = await findClientByClientId({ db }, clientId);
      if (row) {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entries.set(clientId, { row, expiresMs: Date.now() + ttlMs });
      } else {
        entries.delete(clientId);
      }
      return row;
    },
    invalidate: (clientId) => { entries.delete(clientId); },
  };
}
