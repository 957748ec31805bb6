// Signing in through an upstream provider (#23): GET /accounts/idp/<slug>/login/?next=… sends
// the browser to the upstream, GET /accounts/idp/<slug>/callback/ comes back; the user is then
// signed in exactly as after a password (the second factor included) and `next` resumes. A
// signed-in user links or unlinks upstream accounts at /accounts/idp/.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { seal, unseal, type SecretKeys } from '../crypto/keys.ts';
import { AppError } from '../errors.ts';
import { isSecureRequest } from '../http/cookies.ts';
import { csrfToken, verifyCsrf } from '../http/csrf.ts';
import { ownOrigins } from '../http/https-rule.ts';
import { loadSession } from '../http/session.ts';
import { anonymousActor, recordAudit, userActor } from '../access/index.ts';
import { safeNext } from '../accounts/index.ts';
import { afterFirstFactor, CONFIRM_PATH, isFresh } from '../mfa/index.ts';
import type { SessionCache, User } from '../users/index.ts';
import { findIdentityProviderBySlug, listIdentityProviders, type IdentityProvider } from './providers.service.ts';
import { finishUpstreamSignIn, startUpstreamSignIn, upstreamLogoutUrl, type PendingUpstream } from './upstream-client.ts';
import { applyTeamMapping, groupValuesOf, linkUpstreamAccount, listLinksOfUser, mappedTeamNames, personOf, resolveOidcUser, unlinkUpstreamAccount } from './links.service.ts';
import { signInMethodsPage, upstreamFailurePage } from './views/federation-pages.ts';

export interface FederationRouteDeps { config: Config; db: Db; keys: SecretKeys; sessionCache?: SessionCache }

const PENDING_COOKIE = 'djam_idp_pending';
/** Set when the upstream signed in with end_upstream_session on: which upstream, and its id token for the hint. */
const LOGOUT_COOKIE = 'djam_idp_logout';
const LOGOUT_PATH = '/accounts/logout/';
const PENDING_TTL_SECONDS = 10 * 60;
const METHODS_PATH = '/accounts/idp/';
const pendingPath = (slug: string) => `/accounts/idp/${slug}/`;

function setPending(keys: SecretKeys, request: FastifyRequest, reply: FastifyReply, pending: PendingUpstream): void {
  const value = seal(keys, JSON.stringify({ kind: 'idp-pending', exp: Date.now() + PENDING_TTL_SECONDS * 1000, pending }));
  reply.setCookie(PENDING_COOKIE, value, { path: pendingPath(pending.slug), httpOnly: true, sameSite: 'lax', secure: isSecureRequest(request), maxAge: PENDING_TTL_SECONDS });
}

/** The pending sign-in this browser started (sealed, unexpired, for this upstream), taken once. */
function takePending(keys: SecretKeys, request: FastifyRequest, reply: FastifyReply, slug: string): PendingUpstream | undefined {
  const raw = request.cookies[PENDING_COOKIE];
  if (!raw) return undefined;
  reply.clearCookie(PENDING_COOKIE, { path: pendingPath(slug), httpOnly: true, sameSite: 'lax', secure: isSecureRequest(request) });
  try {
    const box = JSON.parse(unseal(keys, raw)) as { kind?: string; exp?: number; pending?: PendingUpstream };
    if (box.kind !== 'idp-pending' || !box.exp || box.exp < Date.now() || box.pending?.slug !== slug) return undefined;
    return box.pending;
  } catch {
    return undefined;
  }
}

const queryOf = (request: FastifyRequest) => {
  const at = request.url.indexOf('?');
  return at < 0 ? '' : request.url.slice(at + 1);
};

/**
 * Signing out of DJAM after a sign-in through an upstream marked end_upstream_session: where to
 * send the browser to end the upstream session too (coming back to `after`), or undefined.
 */
export async function upstreamSignOutUrl(deps: FederationRouteDeps, request: FastifyRequest, reply: FastifyReply, after: string): Promise<string | undefined> {
  const raw = request.cookies[LOGOUT_COOKIE];
  if (!raw) return undefined;
  reply.clearCookie(LOGOUT_COOKIE, { path: LOGOUT_PATH, httpOnly: true, sameSite: 'lax', secure: isSecureRequest(request) });
  let box: { kind?: string; slug?: string; idToken?: string };
  try {
    box = JSON.parse(unseal(deps.keys, raw)) as typeof box;
  } catch {
    return undefined;
  }
  if (box.kind !== 'idp-logout' || !box.slug) return undefined;
  const idp = await findIdentityProviderBySlug(deps, box.slug);
  if (!idp?.isEnabled || !idp.endUpstreamSession) return undefined;
  return upstreamLogoutUrl(deps, idp, box.idToken, new URL(after, `${deps.config.baseUrl}/`).href);
}

export async function federationRoutes(app: FastifyInstance, deps: FederationRouteDeps): Promise<void> {
  const loginHref = (next: string | undefined) => `/accounts/login/${next ? `?next=${encodeURIComponent(next)}` : ''}`;

  /** A refusal as its page (status, message, a way back) and an audited failed sign-in. */
  async function failed(request: FastifyRequest, reply: FastifyReply, slug: string, err: unknown, next: string | undefined): Promise<FastifyReply> {
    if (!(err instanceof AppError)) throw err;
    request.log.info({ reason: err.code, slug, cause: err.cause instanceof Error ? err.cause.message : undefined }, 'login.failed');
    await recordAudit(deps.db, anonymousActor(`idp:${slug}`, request.ip), {
      action: 'auth.sign-in-failed', entityType: 'user', entityId: null, after: { door: `idp:${slug}`, ip: request.ip, reason: err.code },
    });
    const status = err.status >= 500 ? 502 : err.status;
    return reply.status(status).type('text/html').send(upstreamFailurePage({ title: 'Sign-in failed', error: err.message, loginHref: loginHref(next) }));
  }

  async function enabledProvider(slug: string): Promise<IdentityProvider> {
    const idp = await findIdentityProviderBySlug(deps, slug);
    if (!idp?.isEnabled) throw new AppError('IDP_NOT_FOUND');
    return idp;
  }

  app.get('/accounts/idp/:slug/login/', async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const next = safeNext((request.query as Record<string, unknown>).next, ownOrigins(request));
    try {
      const idp = await enabledProvider(slug);
      const { url, pending } = await startUpstreamSignIn(deps, idp, { next });
      setPending(deps.keys, request, reply, pending);
      return reply.redirect(url, 302);
    } catch (err) {
      return failed(request, reply, slug, err, next);
    }
  });

  app.get('/accounts/idp/:slug/callback/', async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const pending = takePending(deps.keys, request, reply, slug);
    try {
      if (!pending) throw new AppError('IDP_SIGN_IN_FAILED', { message: 'This sign-in was not started here, or took too long. Start again from the sign-in page.' });
      const idp = await enabledProvider(slug);
      const { claims, idToken } = await finishUpstreamSignIn(deps, idp, pending, queryOf(request));
      if (pending.linkUserId !== undefined) return await finishLink(request, reply, idp, pending.linkUserId, claims.sub);
      const person = personOf(idp, claims);
      const { user, link, created } = await resolveOidcUser(deps, idp, person);
      if (created) {
        await recordAudit(deps.db, userActor(user, request.ip), {
          action: 'user.create', entityType: 'user', entityId: user.id, after: { email: user.email, door: `idp:${slug}` },
        });
      }
      if (idp.groupClaim) await applyTeamMapping(deps, link, user, mappedTeamNames(idp.mappings, groupValuesOf(claims[idp.groupClaim])));
      await recordAudit(deps.db, userActor(user, request.ip), {
        action: 'auth.signed-in', entityType: 'user', entityId: user.id, after: { door: `idp:${slug}`, ip: request.ip },
      });
      if (idp.endUpstreamSession) {
        reply.setCookie(LOGOUT_COOKIE, seal(deps.keys, JSON.stringify({ kind: 'idp-logout', slug, idToken })), {
          path: LOGOUT_PATH, httpOnly: true, sameSite: 'lax', secure: isSecureRequest(request), maxAge: deps.config.DJAM_SESSION_TTL_SECONDS,
        });
      }
      const next = pending.next;
      // The same path as a right password: a user with a second factor is asked for it now.
      const secondStep = await afterFirstFactor(deps, request, reply, user, next);
      return reply.redirect(secondStep ?? next ?? `/user/account/edit/${user.id}/`, 302);
    } catch (err) {
      return failed(request, reply, slug, err, pending?.next);
    }
  });

  async function finishLink(request: FastifyRequest, reply: FastifyReply, idp: IdentityProvider, userId: number, subject: string): Promise<FastifyReply> {
    // The link is made for the user who asked, still signed in in this browser.
    const session = await loadSession(deps, request);
    if (session?.user.id !== userId) throw new AppError('IDP_SIGN_IN_FAILED', { message: 'You are no longer signed in as the account that asked for this link. Sign in and try again.' });
    await linkUpstreamAccount(deps, idp, subject, session.user);
    await recordAudit(deps.db, userActor(session.user, request.ip), { action: 'identity-link.create', entityType: 'user', entityId: userId, after: { provider: idp.slug } });
    return reply.redirect(`${METHODS_PATH}?linked=${encodeURIComponent(idp.slug)}`, 302);
  }

  const renderMethods = async (request: FastifyRequest, reply: FastifyReply, user: User, extra: { notice?: string; error?: string } = {}) => {
    const links = await listLinksOfUser(deps, user.id);
    const linked = new Set(links.map((l) => l.providerId));
    const linkable = (await listIdentityProviders(deps, { enabledOnly: true })).filter((p) => !linked.has(p.id));
    return reply.type('text/html').send(signInMethodsPage({
      user, csrfToken: csrfToken(deps.keys, request, reply), hasPassword: Boolean(user.password), links, linkable, ...extra,
    }));
  };

  app.get(METHODS_PATH, async (request, reply) => {
    const session = await loadSession(deps, request);
    if (!session) return reply.redirect(loginHref(METHODS_PATH), 302);
    const linked = (request.query as Record<string, unknown>).linked;
    return renderMethods(request, reply, session.user, typeof linked === 'string' ? { notice: 'The account is linked: you can sign in with it now.' } : {});
  });

  /**
   * A linked upstream account is a way in that outlives a password reset: linking or unlinking one
   * needs a sign-in from the last 5 minutes, as a second factor does, or an old session (a stolen
   * cookie) could plant its own (#23 review). Confirming brings the visitor back to this page.
   */
  const confirmFirst = (reply: FastifyReply) => reply.redirect(`${CONFIRM_PATH}?next=${encodeURIComponent(METHODS_PATH)}`, 302);

  app.post('/accounts/idp/:slug/link/', async (request, reply) => {
    const { slug } = request.params as { slug: string };
    verifyCsrf(deps.keys, request);
    const session = await loadSession(deps, request);
    if (!session) return reply.redirect(loginHref(METHODS_PATH), 302);
    if (!isFresh(session)) return confirmFirst(reply);
    try {
      const idp = await enabledProvider(slug);
      const { url, pending } = await startUpstreamSignIn(deps, idp, { linkUserId: session.user.id });
      setPending(deps.keys, request, reply, pending);
      return reply.redirect(url, 302);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return renderMethods(request, reply.status(err.status >= 500 ? 502 : err.status), session.user, { error: err.message });
    }
  });

  app.post('/accounts/idp/links/:id/unlink/', async (request, reply) => {
    verifyCsrf(deps.keys, request);
    const session = await loadSession(deps, request);
    if (!session) return reply.redirect(loginHref(METHODS_PATH), 302);
    if (!isFresh(session)) return confirmFirst(reply);
    const id = Number((request.params as { id: string }).id);
    try {
      if (!Number.isSafeInteger(id)) throw new AppError('IDP_LINK_NOT_FOUND');
      const link = await unlinkUpstreamAccount(deps, session.user, id);
      await recordAudit(deps.db, userActor(session.user, request.ip), { action: 'identity-link.delete', entityType: 'user', entityId: session.user.id, before: { provider_id: link.providerId, kind: link.kind } });
      return renderMethods(request, reply, session.user, { notice: 'Unlinked.' });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return renderMethods(request, reply.status(err.status), session.user, { error: err.message });
    }
  });
}
