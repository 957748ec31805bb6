// The authenticated reverse proxy (§8): /service/<slug> and, new, /service/<slug>/<rest>.
// Bodies stream both ways through @fastify/reply-from (undici); nothing is buffered whole.
import replyFrom from '@fastify/reply-from';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import type { SigningJwk } from '../signing-keys/index.ts';
import { canUseResource, findResourceBySlug, listTeamNamesOfUser, UPSTREAM_SERVICE } from '../teams/index.ts';
import { CSRF_COOKIE } from '../http/cookies.ts';
import { safeEqual } from '../crypto/keys.ts';
import { isSecureRequest } from '../http/secure-request.ts';
import { identifyCaller, type CallerVia } from './identify-caller.ts';
import { createIdentitySigner, type IdentitySigner } from './identity-token.ts';
import { cachedSigner } from './identity-cache.ts';
import { forwardedQuery, rewriteLocation, upstreamRequestHeaders } from './forwarding.ts';

export interface ProxyDeps { config: Config; db: Db; keys: SecretKeys; provider: Provider; jwks: SigningJwk[] }

export const PROXY_FORBIDDEN = 'The user does not have enough permissions to see the page';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function forbidden(reply: FastifyReply, text = PROXY_FORBIDDEN) {
  return reply.status(403).type('text/html; charset=utf-8').send(text);
}

/** §8.3: cookie-authenticated unsafe requests need the CSRF header (the body is streamed, not parsed). */
function csrfOk(request: FastifyRequest, via: CallerVia): boolean {
  if (via !== 'session' || !UNSAFE.has(request.method)) return true;
  const cookie = request.cookies[CSRF_COOKIE];
  const header = request.headers['x-csrftoken'];
  return typeof header === 'string' && Boolean(cookie) && safeEqual(header, cookie!);
}

function upstreamError(reply: FastifyReply, error: Error & { statusCode?: number }) {
  const timeout = error.statusCode === 504 || /timeout/i.test(error.message);
  return reply.status(timeout ? 504 : 502).type('text/plain; charset=utf-8')
    .send(timeout ? 'The upstream service did not answer in time.' : 'The upstream service is unavailable.');
}

async function forward(deps: ProxyDeps, signer: IdentitySigner, request: FastifyRequest<{ Params: { slug: string; '*'?: string } }>, reply: FastifyReply) {
  const caller = await identifyCaller({ ...deps, authkeyAllowed: !deps.config.DJAM_REQUIRE_SECURE_HTTP_FOR_GEOSERVER_INTROSPECTION
    || isSecureRequest(request, deps.config.DJAM_SECURE_PROXY_HEADER) }, request);
  if (caller === 'rejected' || caller === 'anonymous') return forbidden(reply);
  if (!csrfOk(request, caller.via)) return forbidden(reply, 'CSRF verification failed. Send the XSRF-TOKEN cookie value in an X-CSRFToken header.');
  const resource = /^[-\w]{1,50}$/.test(request.params.slug) ? await findResourceBySlug(deps, request.params.slug) : undefined;
  if (!resource || !(await canUseResource(deps, caller.user, resource.id))) return reply.status(404).type('text/html; charset=utf-8').send('Not Found');
  if (resource.type !== UPSTREAM_SERVICE) return reply.status(204).send();
  const upstream = URL.parse(resource.url ?? '');
  if (!upstream) return reply.status(502).type('text/plain; charset=utf-8').send('The upstream service has no valid URL configured.');
  const rest = request.params['*'];
  const path = rest ? `${upstream.pathname.replace(/\/$/, '')}/${rest}` : upstream.pathname;
  const identity = await signer.sign(caller.user, upstream.origin, await listTeamNamesOfUser(deps, caller.user.id));
  const ownOrigin = `${request.protocol}://${request.host}`;
  const ctx = { consumedAuthorization: caller.via === 'basic' || caller.via === 'bearer', identity, clientIp: request.ip, proto: request.protocol, host: request.host };
  return reply.from(`${upstream.origin}${path}`, {
    queryString: () => forwardedQuery(request.raw.url ?? '', upstream.search),
    rewriteRequestHeaders: (_req, headers) => upstreamRequestHeaders(headers, ctx),
    rewriteHeaders: (headers) => (typeof headers.location === 'string'
      ? { ...headers, location: rewriteLocation(headers.location, upstream, resource.slug, ownOrigin) } : headers),
    onError: (r, { error }) => upstreamError(r as FastifyReply, error),
  });
}

export async function proxyRoutes(app: FastifyInstance, deps: ProxyDeps): Promise<void> {
  const signer = cachedSigner(await createIdentitySigner(deps.config.issuer, deps.jwks[0]));
  const timeout = deps.config.DJAM_PROXY_TIMEOUT_MS;
  await app.register(async (scope) => {
    await scope.register(replyFrom, { undici: { connections: 128, headersTimeout: timeout, bodyTimeout: timeout, connectTimeout: Math.min(timeout, 10_000) }, disableRequestLogging: true });
    // Request bodies are handed to the upstream as the incoming stream.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { bodyLimit: Number.MAX_SAFE_INTEGER }, (_request, payload, done) => done(null, payload));
    const handler = (request: FastifyRequest<{ Params: { slug: string; '*'?: string } }>, reply: FastifyReply) => forward(deps, signer, request, reply);
    scope.all('/service/:slug', handler);
    scope.all('/service/:slug/*', handler);
  });
}
