// The DJAM browser session is the authentication: the provider's login prompt is satisfied by
// it. A fresh provider session adopts the DJAM user right in the login check, loading the account
// and grant the provider would have loaded, so a signed-in user gets the code in one redirect, as
// with the original. A different account, or no DJAM session at all, goes through the
// interaction, which sends anonymous users to the login page.
import { interactionPolicy, type FindAccount, type KoaContextWithOIDC } from 'oidc-provider';
import { getRequestUser } from './request-user.ts';
import { requestContext, requestUser } from './request-context.ts';
import { ADMIN_SCOPE } from '../access/index.ts';
import { followSessionMethods, mfaRequested } from './acr.ts';

const { Check, base } = interactionPolicy;
type GrantLoader = (ctx: KoaContextWithOIDC) => Promise<InstanceType<KoaContextWithOIDC['oidc']['provider']['Grant']> | undefined>;

/**
 * OIDC Core 3.1.2.1: `auth_time` (and the `max_age` check) is when this browser's DJAM session
 * was signed in — not the moment the provider adopted it, and not the user's last sign-in
 * anywhere (last_login), which a sign-in on another device moves forward.
 */
function signedInAt(accountId: string): number {
  const context = requestContext();
  const at = requestUser(accountId) && context?.signedInAt;
  return Math.floor((at || new Date()).getTime() / 1000);
}

async function adopt(ctx: KoaContextWithOIDC, accountId: string, findAccount: FindAccount, loadGrant: GrantLoader): Promise<boolean> {
  const { oidc } = ctx;
  const session = oidc.session!;
  // Synchronously first: the prompt's other checks (max_age, id_token_hint) read it concurrently.
  session.accountId = accountId;
  session.loginTs = signedInAt(accountId);
  followSessionMethods(ctx, accountId);
  const account = await findAccount(ctx, accountId);
  if (!account) return false;
  oidc.entity('Account', account);
  const clientId = oidc.client!.clientId;
  const grant = (await loadGrant(ctx)) ?? new oidc.provider.Grant({ accountId, clientId });
  session.ensureClientContainer(clientId);
  if (grant.jti) session.grantIdFor(clientId, grant.jti);
  oidc.entity('Grant', grant);
  return true;
}

/**
 * #17 item 4: an authorization asking for the admin API is confirmed by the user every time, on
 * a page naming the client — never granted silently from an earlier grant or a consent-free
 * client's registration, so nobody gets an administrator's token from one click on a link.
 */
const adminAlwaysAsks = new Check('admin_scope_requested', 'The admin scope is confirmed at every authorization', 'consent_required', (ctx: KoaContextWithOIDC) => {
  const asksAdmin = ctx.oidc.route === 'authorization' && ctx.oidc.requestParamScopes.has(ADMIN_SCOPE);
  return asksAdmin && !ctx.oidc.result?.consent ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
});

export function djamInteractionPolicy(findAccount: FindAccount, loadGrant: GrantLoader) {
  // The error is named: a check added after the prompt was built does not inherit the prompt's
  // `login_required` (prompt=none from an anonymous visitor, docs/compatibility.md §3.3 step 4).
  const djamSession = new Check('no_session', 'End-User authentication is required', 'login_required', async (ctx: KoaContextWithOIDC) => {
    const djamUser = getRequestUser(ctx.req);
    const session = ctx.oidc.session!;
    if (!djamUser) return Check.REQUEST_PROMPT;
    if (session.accountId === djamUser) {
      followSessionMethods(ctx, djamUser);
      return Check.NO_NEED_TO_PROMPT;
    }
    if (session.accountId || ctx.oidc.route !== 'authorization') return Check.REQUEST_PROMPT;
    return (await adopt(ctx, djamUser, findAccount, loadGrant)) ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
  });
  const policy = base();
  const login = policy.get('login')!;
  const at = login.checks.findIndex((c) => c.reason === 'no_session');
  login.checks.remove('no_session');
  login.checks.add(djamSession, at);
  login.checks.add(mfaRequested);
  policy.get('consent')!.checks.add(adminAlwaysAsks);
  return policy;
}
