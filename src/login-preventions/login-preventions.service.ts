// DJAM "OpenID login prevention" with the rule its authors intended (docs/compatibility.md §3.4): when a client has a
// prevention record, a user may sign in to it only through a team that the record does not list;
// users without any team are refused. Clients without a record are open to everyone.
import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { loginPreventions, loginPreventionTeams, oauthClients, teamMembers } from '../db/schema.ts';
import { announceChange } from '../db/change-feed.ts';

export const LOGIN_PREVENTED_MESSAGE = 'Your subscription does not allow this login. You need to upgrade your subscription to continue.';

export async function isLoginPrevented(deps: { db: Db }, clientId: string, userId: number): Promise<boolean> {
  const [prevention] = await deps.db.select({ id: loginPreventions.id }).from(loginPreventions)
    .innerJoin(oauthClients, eq(oauthClients.id, loginPreventions.clientId))
    .where(eq(oauthClients.clientId, clientId)).limit(1);
  if (!prevention) return false;
  const listed = deps.db.select({ id: loginPreventionTeams.teamId }).from(loginPreventionTeams)
    .where(eq(loginPreventionTeams.preventionId, prevention.id));
  const [allowed] = await deps.db.select({ n: sql<number>`1` }).from(teamMembers)
    .where(and(eq(teamMembers.userId, userId), notInArray(teamMembers.teamId, listed))).limit(1);
  return !allowed;
}

export async function setLoginPrevention(deps: { db: Db }, clientRowId: number, teamIds: number[]): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const [row] = await tx.insert(loginPreventions).values({ clientId: clientRowId })
      .onConflictDoUpdate({ target: loginPreventions.clientId, set: { clientId: clientRowId } }).returning();
    await tx.delete(loginPreventionTeams).where(eq(loginPreventionTeams.preventionId, row.id));
    if (teamIds.length) await tx.insert(loginPreventionTeams).values(teamIds.map((teamId) => ({ preventionId: row.id, teamId })));
    await announceChange(tx as unknown as Db, 'login-prevention', String(clientRowId));
  });
}
