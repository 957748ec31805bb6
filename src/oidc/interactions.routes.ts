// The provider's interactions: login is satisfied by the DJAM browser session (anonymous users
// go to /accounts/login/ and come back), consent is a page with Authorize / Cancel.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { AppError } from '../errors.ts';
import { csrfToken, verifyCsrf } from '../http/csrf.ts';
import { loadSession, loginRedirectUrl } from '../http/session.ts';
import { html } from '../http/views/html.ts';
import { layout } from '../http/views/layout.ts';
import { consentPage } from './views/consent.ts';
import type { PayloadCache } from './payload-cache.ts';
import { withRequestContext } from './request-context.ts';
import { ACR_MFA as ACR_MFA_VALUE, acrOf, MFA_REASON } from './acr.ts';
import { flushWrites, startWriteBuffer } from './write-buffer.ts';
import { userActor } from '../access/index.ts';
import { recordEvent } from '../events/index.ts';

export interface InteractionDeps { provider: Provider; config: Config; db: Db; keys: SecretKeys; payloadCache: PayloadCache }
type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

async function details(deps: InteractionDeps, request: FastifyRequest, reply: FastifyReply): Promise<Details | undefined> {
  try {
    return await deps.provider.interactionDetails(request.raw, reply.raw);
  } catch (err) {
    if (!(err instanceof errors.SessionNotFound) && !(err instanceof errors.InvalidRequest)) throw err;
    await reply.status(400).type('text/html').send(layout({ title: 'Sign-in expired' }, html`
      <p class="error" role="alert">This sign-in request has expired or was already completed. Go back to the application and start again.</p>`));
    return undefined;
  }
}

async function finish(deps: InteractionDeps, request: FastifyRequest, reply: FastifyReply, result: Record<string, unknown>) {
  const to = await deps.provider.interactionResult(request.raw, reply.raw, result, { mergeWithLastSubmission: true });
  await flushWrites(deps.db, deps.payloadCache); // the grant and the result are stored before the browser moves on
  return reply.redirect(to, 303);
}

/**
 * Each step runs like a provider request (mount.ts): its look-ups shared, its writes buffered
 * and sent in one statement by `finish`.
 */
function step<R extends FastifyRequest>(handler: (request: R, reply: FastifyReply) => Promise<FastifyReply>) {
  return (request: R, reply: FastifyReply) => withRequestContext(() => {
    startWriteBuffer();
    return handler(request, reply);
  });
}

async function grantConsent(deps: InteractionDeps, d: Details): Promise<string> {
  const { Grant } = deps.provider;
  const accountId = d.session!.accountId;
  const clientId = String(d.params.client_id);
  const grant = (d.grantId ? await Grant.find(d.grantId) : undefined) ?? new Grant({ accountId, clientId });
  const missing = d.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
  return grant.save();
}

const seconds = (at: Date) => Math.floor(at.getTime() / 1000);

/**
 * OIDC Core 3.1.2.1: `prompt=login` or an elapsed `max_age` MUST re-authenticate the user; a
 * DJAM session older than the request does not, the login form does (and brings them back here).
 */
function needsFreshSignIn(d: Details, signedInAt: Date): boolean {
  const reasons = new Set(d.prompt.reasons);
  if (!reasons.has('login_prompt') && !reasons.has('max_age')) return false;
  return seconds(signedInAt) < (d.iat ?? 0);
}

export async function interactionRoutes(app: FastifyInstance, deps: InteractionDeps): Promise<void> {
  app.get<{ Params: { uid: string } }>('/interaction/:uid', step(async (request, reply) => {
    const d = await details(deps, request, reply);
    if (!d) return reply;
    const session = await loadSession(deps, request);
    if (!session) return reply.redirect(loginRedirectUrl(deps.config.loginUrl, request.url), 302);
    if (d.prompt.name === 'login') {
      if (needsFreshSignIn(d, session.signedInAt)) return reply.redirect(loginRedirectUrl(deps.config.loginUrl, request.url), 302);
      // #22 step-up: the application asks for a second factor this session lacks.
      if (d.prompt.reasons.includes(MFA_REASON) && acrOf(session.amr) !== ACR_MFA_VALUE) return reply.redirect(`/accounts/login/verify/?next=${encodeURIComponent(request.url)}`, 302);
      return finish(deps, request, reply, { login: { accountId: String(session.user.id), ts: seconds(session.signedInAt), amr: session.amr, acr: acrOf(session.amr) } });
    }
    const client = await deps.provider.Client.find(String(d.params.client_id));
    const scopes = (d.prompt.details as { missingOIDCScope?: string[] }).missingOIDCScope ?? [];
    await flushWrites(deps.db, deps.payloadCache); // nothing is expected here, but nothing saved may be lost
    return reply.type('text/html').send(consentPage({
      uid: d.uid, clientName: client?.clientName ?? String(d.params.client_id), scopes,
      csrfToken: csrfToken(deps.keys, request, reply), user: session.user,
    }));
  }));

  app.post<{ Params: { uid: string } }>('/interaction/:uid/confirm', step(async (request, reply) => {
    verifyCsrf(deps.keys, request);
    const d = await details(deps, request, reply);
    if (!d) return reply;
    const session = await loadSession(deps, request);
    // The consent must come from the user the provider session belongs to.
    if (!session || d.prompt.name !== 'consent' || String(session.user.id) !== d.session?.accountId) throw new AppError('FORBIDDEN');
    const grantId = await grantConsent(deps, d);
    const missing = d.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
    // #21: the scopes the user just granted (never the grant's or the interaction's id).
    await recordEvent(deps.db, userActor(session.user), {
      type: 'consent.granted', subject: `user:${session.user.id}`, userId: session.user.id, clientId: String(d.params.client_id),
      changes: { after: { scopes: missing.missingOIDCScope ?? [], resource_scopes: missing.missingResourceScopes ?? {} } },
    });
    return finish(deps, request, reply, { consent: { grantId } });
  }));

  app.post<{ Params: { uid: string } }>('/interaction/:uid/abort', step(async (request, reply) => {
    verifyCsrf(deps.keys, request);
    if (!(await details(deps, request, reply))) return reply;
    return finish(deps, request, reply, { error: 'access_denied', error_description: 'End-User aborted interaction' });
  }));
}
