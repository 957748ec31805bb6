// Mounts the provider at /openid as a raw route: its own scope has no body parsers, so the
// request stream reaches Koa untouched. Fastify routes registered elsewhere under /openid/
// (GeoServer, key API) are more specific and win over the wildcard.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import type { ClientCache } from '../clients/index.ts';
import { loadSession, loginRedirectUrl } from '../http/session.ts';
import { isLoginPrevented, LOGIN_PREVENTED_MESSAGE, type PreventionIndex } from '../login-preventions/index.ts';
import { userActor } from '../access/index.ts';
import { recordEvent } from '../events/index.ts';
import { html } from '../http/views/html.ts';
import { layout } from '../http/views/layout.ts';
import { errorSurfaceOf } from '../http/surfaces.ts';
import { setRequestUser } from './request-user.ts';
import { requestContext, withRequestContext } from './request-context.ts';
import { announcementConfirmer } from '../db/change-feed.ts';
import { startWriteBuffer } from './write-buffer.ts';
import { withDefaultAuthorizeScope, withDefaultTokenScope } from './default-scope.ts';

export interface MountDeps { provider: Provider; config: Config; db: Db; keys: SecretKeys; clientCache: ClientCache; preventions: PreventionIndex }
const PREFIX = '/openid';

function withoutPromptLogin(url: string): string {
  const u = new URL(url, 'http://x');
  const prompts = (u.searchParams.get('prompt') ?? '').split(' ').filter((p) => p && p !== 'login');
  if (prompts.length) u.searchParams.set('prompt', prompts.join(' '));
  else u.searchParams.delete('prompt');
  return u.pathname + u.search;
}

/**
 * docs/compatibility.md §3.3 validates the client and its redirect URI before sending anyone to the login page: a
 * request naming neither a known client nor one of its redirect URIs is left to the provider,
 * which answers with its error page whether the visitor is signed in or not.
 */
async function namesRegisteredClient(provider: Provider, query: Record<string, string | undefined>): Promise<boolean> {
  const client = query.client_id ? await provider.Client.find(query.client_id) : undefined;
  if (!client) return false;
  return query.redirect_uri === undefined || client.redirectUriAllowed(query.redirect_uri);
}

/**
 * DJAM's steps before the protocol (docs/compatibility.md §3.3): anonymous visitors go to the login page with `next`
 * carrying the authorize request; login prevention (docs/compatibility.md §3.4) answers with its page. Returns false
 * when it has answered.
 */
async function beforeAuthorize(deps: MountDeps, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  const session = await loadSession(deps, request);
  const query = request.query as Record<string, string | undefined>;
  const path = request.url.split('?')[0];
  if (path === `${PREFIX}/authorize` && request.method === 'GET') {
    if (!session && !(query.prompt ?? '').split(' ').includes('none') && await namesRegisteredClient(deps.provider, query)) {
      await reply.redirect(loginRedirectUrl(deps.config.loginUrl, withoutPromptLogin(request.url)), 302);
      return false;
    }
    // docs/compatibility.md §3.3 step 1: relying parties rely on names and username; the user fills them in first, and
    // the profile form sends them back to this request once saved (the original stranded them).
    if (session && (!session.user.firstName || !session.user.lastName || !session.user.username)) {
      await reply.redirect(`/user/account/edit/${session.user.id}/?fix_error=1&next=${encodeURIComponent(request.url)}`, 302);
      return false;
    }
    if (session && query.client_id && await deps.preventions.has(query.client_id) && await isLoginPrevented(deps, query.client_id, session.user.id)) {
      // #21: a refused sign-in to the application (never on the allowed path).
      await recordEvent(deps.db, userActor(session.user), {
        type: 'user.login_failed', outcome: 'failure', subject: `user:${session.user.id}`, userId: session.user.id, clientId: query.client_id,
        changes: { door: 'authorize', reason: 'login_prevented' },
      });
      await reply.type('text/html').send(layout({ title: 'Sign-in not allowed', user: session.user }, html`<p class="error" role="alert">${LOGIN_PREVENTED_MESSAGE}</p>`));
      return false;
    }
  }
  const context = requestContext();
  if (session) {
    setRequestUser(request.raw, String(session.user.id));
    if (context) Object.assign(context, { user: session.user, sessionUuid: session.uuid, signedInAt: session.signedInAt, amr: session.amr });
  }
  if (path === `${PREFIX}/authorize`) await withDefaultAuthorizeScope(scopeDeps(deps), request);
  return true;
}

/**
 * Fastify's onSend, where a request that announced a change waits until every node has applied
 * it (app.ts), does not run for a hijacked reply: the provider's answer (an RP-initiated logout
 * ending the DJAM session, say) is held at its end until the other nodes have.
 */
function endOnceConfirmed(res: ServerResponse): void {
  const confirm = announcementConfirmer();
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    void confirm().finally(() => end(...args));
    return res;
  }) as ServerResponse['end'];
}

// Hijacked requests are invisible to Fastify's shutdown: `inFlight` (one per mount) tracks them
// so that app.close() waits for them before the database closes.
function forward(callback: ReturnType<Provider['callback']>, request: FastifyRequest, reply: FastifyReply, inFlight: Set<Promise<void>>): Promise<void> {
  reply.hijack();
  const raw = request.raw as IncomingMessage & { originalUrl?: string; calledUrl?: string };
  // The provider derives its mount path from originalUrl against url; the alias the client
  // called (/o/token/, before rewriteUrl) is kept beside it for the answers that differ by door.
  raw.calledUrl = raw.originalUrl ?? raw.url;
  raw.originalUrl = raw.url;
  // The provider's router needs a path: the bare prefix (`/openid`, `/openid?x`) becomes `/`
  // (`/?x`), which it answers with its 404, instead of an empty path its router cannot match.
  const rest = raw.url!.slice(PREFIX.length);
  raw.url = rest.startsWith('/') ? rest : `/${rest}`;
  const res = reply.raw;
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  startWriteBuffer();
  endOnceConfirmed(res);
  const done = new Promise<void>((resolve) => {
    res.once('finish', resolve);
    res.once('close', resolve);
    void callback(raw, res);
  });
  inFlight.add(done);
  void done.finally(() => inFlight.delete(done));
  return done;
}

function scopeDeps(deps: MountDeps) {
  return { clientCache: deps.clientCache, defaultScopes: deps.config.DJAM_DEFAULT_SCOPES.split(/\s+/).filter(Boolean), resourceServers: deps.config.resourceServers };
}

/**
 * A request Fastify refuses before the provider sees it (a body over the limit, a length
 * mismatch, a QUERY without Content-Type) is answered as the provider answers bad requests: an
 * OAuth error, not DJAM's generic error body.
 */
function refuseAsOAuth(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if ((err.statusCode ?? 500) >= 500 || !err.code?.startsWith('FST_')) throw err;
  request.log.info({ err }, 'oidc.request_refused');
  // The original's DRF views under /openid/ (GeoServer's introspection) keep their own shape.
  if (errorSurfaceOf(request.url) === 'drf') return reply.status(400).send({ detail: 'The request could not be parsed.' });
  return reply.status(400).header('cache-control', 'no-store')
    .send({ error: 'invalid_request', error_description: 'failed to parse the request' });
}

export async function mountProvider(app: FastifyInstance, deps: MountDeps): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  app.addHook('onClose', async () => { await Promise.allSettled([...inFlight]); });
  // The token endpoint's form body is read here so a scope-less client-credentials request can
  // get its default scope; the provider then takes the parsed body (oidc-provider reads
  // `req.body` when the stream was consumed upstream).
  await app.register(async (scope) => {
    const callback = deps.provider.callback();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 56 * 1024 }, (_r, body, done) => done(null, body));
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    scope.setErrorHandler(refuseAsOAuth);
    scope.post(`${PREFIX}/token`, (request, reply) => withRequestContext(async () => {
      if (typeof request.body === 'string') {
        (request.raw as IncomingMessage & { body?: string }).body = await withDefaultTokenScope(scopeDeps(deps), request, request.body);
      }
      await forward(callback, request, reply, inFlight);
      return reply;
    }));
  });
  await app.register(async (scope) => {
    scope.setErrorHandler(refuseAsOAuth);
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    const callback = deps.provider.callback();
    // One context per request: token look-ups share a statement, and the DJAM session found here
    // serves findAccount and the code's session_token (see request-context.ts).
    const handler = (request: FastifyRequest, reply: FastifyReply) => withRequestContext(async () => {
      const isAuthorize = request.url.startsWith(`${PREFIX}/authorize`);
      if (isAuthorize && !(await beforeAuthorize(deps, request, reply))) return reply;
      await forward(callback, request, reply, inFlight);
      return reply;
    });
    scope.all(PREFIX, handler);
    scope.all(`${PREFIX}/*`, handler);
  });
}
