// The provider's view of a user: `sub` is the user id as a string, and the claims are DJAM's
// (docs/compatibility.md §3.5), including `groups` as a list holding one list of team names, which relying parties
// written for the original expect — or, for the clients registered with groups_claim "flat" (#24,
// every new client), the plain list common relying-party modules read; and `roles` (#24), the
// names of the user's roles (their own and their teams').
import type { Account, AccountClaims, FindAccount } from 'oidc-provider';
import type { Db } from '../db/client.ts';
import type { User, UserCache } from '../users/index.ts';
import { listEffectiveRoleNames, listTeamNamesOfUser } from '../privileges/index.ts';
import { requestUser } from './request-context.ts';

function dropEmpty(claims: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== '' && v !== null && v !== undefined));
}

async function claimsOf(db: Db, user: User, scope: string, flatGroups: boolean): Promise<AccountClaims> {
  const scopes = new Set(scope.split(' '));
  const teams = scopes.has('groups') ? await listTeamNamesOfUser({ db }, user.id) : undefined;
  const groups = teams && (flatGroups ? teams : [teams]);
  const roles = scopes.has('roles') ? await listEffectiveRoleNames({ db }, user.id) : undefined;
  return { sub: String(user.id), ...dropEmpty({
    given_name: user.firstName, family_name: user.lastName, nickname: user.username,
    email: user.email, email_verified: user.emailConfirmed,
    user_id: user.id, groups, roles, legacy_user_id: user.legacyUserId,
    is_admin: user.isSuperuser, is_staff: user.isStaff,
  }) };
}

export function accountFinder(db: Db, users: UserCache): FindAccount {
  return async (ctx, sub): Promise<Account | undefined> => {
    const known = requestUser(sub);
    if (known) users.set(known.id, known); // the code exchange that follows finds the user here
    const user = known ?? (/^\d+$/.test(sub) ? await users.get(Number(sub)) : undefined);
    if (!user || !user.isActive) return undefined;
    const flatGroups = (ctx?.oidc?.client as Record<string, unknown> | undefined)?.['urn:djam:groups_claim'] === 'flat';
    return { accountId: sub, claims: (_use, scope) => claimsOf(db, user, scope, flatGroups) };
  };
}
