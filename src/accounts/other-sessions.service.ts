// "Sign out everywhere else" on the account page (#21): a user who sees a sign-in they do not
// know ends every session but the one they are using, and the event log says they did.
import { userActor } from '../access/index.ts';
import { recordEvent } from '../events/index.ts';
import { deleteSessionsOfUser, type User } from '../users/index.ts';
import { inTransaction, type AccountDeps } from './accounts.deps.ts';

export async function endOtherSessions(deps: AccountDeps, user: User, keepToken: string): Promise<void> {
  await inTransaction(deps, async (tx) => {
    await deleteSessionsOfUser(tx, user.id, { exceptToken: keepToken });
    await recordEvent(tx.db, userActor(user), { type: 'user.sessions_ended', subject: `user:${user.id}`, userId: user.id, changes: { door: 'account-page', kept: 'the current session' } });
  });
}
