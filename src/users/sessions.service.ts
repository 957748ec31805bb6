// Browser sessions (`djam_sessionid`). The cookie carries a random token; the table keeps only
// its keyed hash, so a database dump holds no usable session. Each session also has a uuid that
// the token endpoint hands to clients as `session_token` (docs/compatibility.md §2.9, §3.3).
import { randomBytes } from 'node:crypto';
import { and, eq, gt, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sessions, users } from '../db/schema.ts';
import { lookupHash, type SecretKeys } from '../crypto/keys.ts';
import type { User } from './users.service.ts';
import { announceChange } from '../db/change-feed.ts';
import { recordEvent } from '../events/index.ts';
import type { Cache } from '../cache/index.ts';
import { enqueueJob } from '../queue/index.ts';

export interface NewSession { token: string; uuid: string; expiresAt: Date }
export interface ActiveSession {
  uuid: string;
  user: User;
  /** When this session's sign-in happened (OIDC `auth_time`): a session is only ever opened by one. */
  signedInAt: Date;
  /** #22: RFC 8176 methods of the sign-in (`pwd`, `otp`, `hwk`/`swk`, `mfa`), raised by a step-up. */
  amr: string[];
  /** #22: the last time the user proved who they are here (sign-in, second step, re-authentication). */
  verifiedAt: Date;
}
interface StoredSession extends ActiveSession { expiresAt: Date }
/** Sessions by token hash (session-cache.ts); made by buildApp and passed down in deps. */
export type SessionCache = Cache<string, StoredSession>;

interface Deps { db: Db; keys: SecretKeys; sessionCache?: SessionCache }

/**
 * A sign-in: stamps `last_login` and opens the session in one statement (a hot path). The
 * signed-in user's next request (the authorize it came for) finds the session in memory.
 */
export async function startSession(deps: Deps, user: User, ttlSeconds: number, amr: string[] = ['pwd']): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const hash = lookupHash(deps.keys, token);
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  const result = await deps.db.execute(sql`with stamp as (update ${users} set last_login = now() where ${users.id} = ${user.id})
    insert into ${sessions} (id_hash, user_id, expires_at, amr) values (${hash}, ${user.id}, ${expiresAt.toISOString()}::timestamptz, ${JSON.stringify(amr)}::jsonb)
    returning uuid, created_at`);
  const [row] = (result as unknown as { rows: Array<{ uuid: string; created_at: string | Date }> }).rows;
  const signedInAt = new Date(row.created_at);
  if (user.isActive) deps.sessionCache?.set(hash, { uuid: row.uuid, user: { ...user, lastLogin: signedInAt }, expiresAt, signedInAt, amr, verifiedAt: signedInAt });
  return { token, uuid: row.uuid, expiresAt };
}

/** The live session behind a cookie value, with its (active) user: from memory, or in one query. */
export async function findSession(deps: Deps, token: string): Promise<ActiveSession | undefined> {
  if (!token || token.length > 100) return undefined;
  const hash = lookupHash(deps.keys, token);
  return deps.sessionCache ? deps.sessionCache.get(hash) : findSessionByHash(deps, hash);
}

/** The live session stored under this token hash, with its active user, from the database. */
export async function findSessionByHash(deps: { db: Db }, hash: string): Promise<StoredSession | undefined> {
  const [row] = await deps.db.select({ uuid: sessions.uuid, expiresAt: sessions.expiresAt, signedInAt: sessions.createdAt, amr: sessions.amr, verifiedAt: sessions.verifiedAt, user: users }).from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, hash), gt(sessions.expiresAt, new Date()), eq(users.isActive, true)))
    .limit(1);
  return row;
}

/**
 * #22: the user proved who they are again in this session (a second step, a step-up, a
 * re-authentication): its methods become `amr` when given, and `verified_at` is now. Every node
 * drops its cached copy, as when a session ends.
 */
export async function raiseSession(deps: Deps, token: string, amr?: string[]): Promise<void> {
  const hash = lookupHash(deps.keys, token);
  await deps.db.update(sessions).set({ verifiedAt: new Date(), ...(amr ? { amr } : {}) }).where(eq(sessions.idHash, hash));
  deps.sessionCache?.delete(hash);
  await announceChange(deps.db, 'session', hash);
}

/** Ends one session, on every node at once (its cached copies go). */
/** Signs out (the logout form, an application's end-session request): a `user.logout` event when a session ended (#21). */
export async function deleteSession(deps: Deps, token: string): Promise<void> {
  const hash = lookupHash(deps.keys, token);
  await deps.db.transaction(async (tx) => {
    const [ended] = await tx.delete(sessions).where(eq(sessions.idHash, hash)).returning({ userId: sessions.userId });
    if (!ended) return;
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, ended.userId)).limit(1);
    const actor = { kind: 'user', id: String(ended.userId), label: user?.email ?? String(ended.userId) };
    await recordEvent(tx as unknown as Db, actor, { type: 'user.logout', subject: `user:${ended.userId}`, userId: ended.userId });
  });
  deps.sessionCache?.delete(hash);
  await announceChange(deps.db, 'session', hash);
}

/** Ends every session of a user (after a password reset), or every other one (after a change). */
export async function deleteSessionsOfUser(deps: Deps, userId: number, opts: { exceptToken?: string } = {}): Promise<void> {
  const keep = opts.exceptToken ? ne(sessions.idHash, lookupHash(deps.keys, opts.exceptToken)) : undefined;
  await deps.db.delete(sessions).where(and(eq(sessions.userId, userId), keep));
  // #24: every session ended (deactivation, an administrator, a reset link): the applications the
  // user signed in to are told by back-channel logout (oidc/backchannel-logout.ts), in this transaction.
  if (!opts.exceptToken) await enqueueJob(deps.db, USER_SESSIONS_ENDED_JOB, { user_id: userId });
  // The kept session's cached copy goes too: it is found again, with the changed user, at once.
  await announceChange(deps.db, 'user', String(userId));
}

/** #24: the job of deleteSessionsOfUser that tells the user's applications (oidc/backchannel-logout.ts runs it). */
export const USER_SESSIONS_ENDED_JOB = 'user.sessions_ended';

export async function deleteExpiredSessions(deps: Deps): Promise<void> {
  await deps.db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}
