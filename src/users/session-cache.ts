// Browser sessions as every page, authorize and interaction request reads them: kept in memory
// for half a minute and dropped at once on every node when the session ends (topic `session`)
// or its user changes (topic `user`, which password changes and deactivations announce).
// A session token exists in one database only, so one cache per process serves every server
// instance of the process (tests start several).
import type { ActiveSession } from './sessions.service.ts';

const TTL_MS = 30_000;
const MAX_ENTRIES = 20_000;

interface Entry { session: ActiveSession; expiresMs: number }
const byHash = new Map<string, Entry>();

/** The live session stored under this token hash, if this process saw it recently. */
export function cachedSession(hash: string): ActiveSession | undefined {
  const hit = byHash.get(hash);
  if (!hit) return undefined;
  if (hit.expiresMs > Date.now()) return hit.session;
  byHash.delete(hash);
  return undefined;
}

/** Keeps a session found in (or just written to) the database, never past its own expiry. */
export function rememberSession(hash: string, session: ActiveSession, sessionExpiresAt: Date): void {
  if (byHash.size >= MAX_ENTRIES) byHash.clear();
  byHash.set(hash, { session, expiresMs: Math.min(Date.now() + TTL_MS, sessionExpiresAt.getTime()) });
}

export function forgetSession(hash: string): void {
  byHash.delete(hash);
}

export function forgetSessionsOfUser(userId: number): void {
  for (const [hash, entry] of byHash) if (entry.session.user.id === userId) byHash.delete(hash);
}
