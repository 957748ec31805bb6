// The brute-force lock-out as administrators see and lift it (#20): the user page shows until
// when the account is locked (from some client IP or everywhere), and an administrator who may
// manage the user can unlock it, which forgets every counted failure. The lift is audited.
import { assertMay, audited, type Actor } from '../access/index.ts';
import type { Db } from '../db/client.ts';
import { lockStateOf, unlockAccount, type CredentialThrottle, type LockState } from './credential-throttle.ts';
import { postgresThrottleStore } from './throttle-store.ts';
import { getUser } from './users.service.ts';

type Deps = { db: Db; throttle: CredentialThrottle };

/** The user's lock-out, read from the shared store. */
export async function lockStateOfUser(deps: Deps, user: { email: string }): Promise<LockState> {
  return lockStateOf(deps.throttle, user.email);
}

/** Lifts the user's lock-outs; what they were before. */
export async function unlockUserAs(deps: Deps, actor: Actor, userId: number): Promise<LockState> {
  const user = await getUser(deps, userId);
  assertMay(actor, 'user.unlock', user);
  return audited(deps.db, actor, async (tx) => {
    // In the database, the lift commits with its audit entry (and the embedded database, one
    // connection, could not serve a statement outside the transaction while it is open).
    const store = deps.throttle.store.kind === 'postgres' ? postgresThrottleStore(tx) : deps.throttle.store;
    const before = await unlockAccount(deps.throttle, user.email, store);
    return {
      action: 'user.unlock', entityType: 'user', entityId: userId,
      before: { lockedUntil: before.lockedUntil?.toISOString() ?? null, locks: before.locks }, after: { lockedUntil: null, locks: 0 },
      result: before,
    };
  });
}
