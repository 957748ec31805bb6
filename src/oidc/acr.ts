// #22: what applications see of how the user signed in. `amr` holds RFC 8176 methods (`pwd`,
// `otp`, `hwk`/`swk`, `mfa`), as the DJAM session records them; `acr` is one of two levels,
// listed in discovery's acr_values_supported. An authorization asking
// `acr_values=urn:djam:acr:mfa` (directly, or through the client's registered
// default_acr_values) is a login prompt until the session has a second factor: the interaction
// sends the user through the second step (or enrolment) and back.
import { interactionPolicy, type FindAccount, type KoaContextWithOIDC } from 'oidc-provider';
import { requestContext, requestUser } from './request-context.ts';

const { Check } = interactionPolicy;

const ACR_PASSWORD = 'urn:djam:acr:pwd';
export const ACR_MFA = 'urn:djam:acr:mfa';
export const ACR_VALUES = [ACR_PASSWORD, ACR_MFA];
/**
 * The `openid` scope's claims: with `sub`, how the user signed in. oidc-provider puts `acr` and
 * `amr` in an id token only when the request asks for them; applications should not have to.
 */
export function withAuthenticationClaims<C extends { openid: string[] }>(claims: C): C {
  return { ...claims, openid: [...claims.openid, 'acr', 'amr'] };
}

/** The interaction reason the second step answers (interactions.routes.ts). */
export const MFA_REASON = 'acr_mfa_requested';

/** A passkey with user verification is two factors in one (possession, and a PIN or biometric). */
export function acrOf(amr: readonly string[]): string {
  return amr.includes('mfa') || amr.includes('hwk') || amr.includes('swk') ? ACR_MFA : ACR_PASSWORD;
}

/** The methods of this request's DJAM session, when it is the account's (authorize, interactions). */
function sessionMethods(accountId: string): string[] | undefined {
  return requestUser(accountId) ? requestContext()?.amr : undefined;
}

/** The provider session takes the DJAM session's methods (raised by a step-up since it was made). */
export function followSessionMethods(ctx: KoaContextWithOIDC, accountId: string): void {
  const session = ctx.oidc.session!;
  const amr = sessionMethods(accountId);
  if (!amr || (session.amr?.join(' ') === amr.join(' ') && session.acr === acrOf(amr))) return;
  session.amr = amr;
  session.acr = acrOf(amr);
}

export const mfaRequested = new Check(MFA_REASON, 'The application asks for a second factor', 'login_required', (ctx: KoaContextWithOIDC) => {
  const asked = String(ctx.oidc.params?.acr_values ?? '').split(' ').includes(ACR_MFA);
  return asked && ctx.oidc.session?.acr !== ACR_MFA ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
});

type TokenWithMethods = { acr?: string; amr?: string[] };

/**
 * Access tokens carry the methods of the sign-in they came from, so that introspection (and a
 * JWT access token) tell them, and userinfo can (find-account.ts).
 */
export async function authenticationClaims(ctx: KoaContextWithOIDC): Promise<Record<string, unknown> | undefined> {
  const entities = ctx.oidc.entities as { AuthorizationCode?: TokenWithMethods; RefreshToken?: TokenWithMethods; DeviceCode?: TokenWithMethods };
  const source = entities.AuthorizationCode ?? entities.RefreshToken ?? entities.DeviceCode;
  if (!source?.amr && !source?.acr) return undefined;
  return { ...(source.acr ? { acr: source.acr } : {}), ...(source.amr ? { amr: source.amr } : {}) };
}

/** Userinfo tells the methods of the sign-in its access token came from (authenticationClaims put them there). */
export function withSignInMethods(findAccount: FindAccount): FindAccount {
  return async (ctx, sub, token) => {
    const account = await findAccount(ctx, sub, token);
    const extra = (token as { extra?: TokenWithMethods } | undefined)?.extra;
    if (!account || !extra || (!extra.acr && !extra.amr)) return account;
    return {
      ...account,
      claims: async (use, scope, claims, rejected) => {
        const base = await account.claims(use, scope, claims, rejected);
        return use === 'userinfo' ? { ...base, ...(extra.acr ? { acr: extra.acr } : {}), ...(extra.amr ? { amr: extra.amr } : {}) } : base;
      },
    };
  };
}
