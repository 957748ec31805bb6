// The brute-force lock-out as administrators see and lift it (#20): the user page shows until
// when the account is locked (from some client IP or everywhere), and an administrator who may
// manage the user can unlock it, which forgets every counted failure. The lift is audited.
import { assertMay, audited, type Actor } from '../access/index.ts';
import type { Db } from '../db/client.ts';
import { lockStateOf, unlockAccount, type CredentialThrottle, type LockState } from './credential-throttle.ts';
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
  return audited(deps.db, actor, async () => {
    const before = await unlockAccount(deps.throttle, user.email);
    return {
      action: 'user.unlock', entityType: 'user', entityId: userId,
      before: { lockedUntil: before.lockedUntil?.toISOString() ?? null, locks: before.locks }, after: { lockedUntil: null, locks: 0 },
      result: before,
    };
  });
}
