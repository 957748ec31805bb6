// The authenticated reverse proxy (§8): /service/<slug> and, new, /service/<slug>/<rest>.
// Bodies stream both ways through @fastify/reply-from (undici); nothing is buffered whole.
import replyFrom from '@fastify/reply-from';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import type { SigningJwk } from '../signing-keys/index.ts';
import type { KeyCache } from '../api-keys/index.ts';
import { UPSTREAM_SERVICE, type AccessDecisions, type Resource } from '../teams/index.ts';
import { verifyCsrf } from '../http/csrf.ts';
import { isSecureRequest } from '../http/secure-request.ts';
import { identifyCaller, type Caller, type CallerVia } from './identify-caller.ts';
import { createIdentitySigner, type IdentitySigner } from './identity-token.ts';
import { cachedSigner } from './identity-cache.ts';
import { forwardedQuery, rewriteLocation, upstreamRequestHeaders } from './forwarding.ts';
import { subPathOf } from './sub-path.ts';

export interface ProxyDeps { config: Config; db: Db; keys: SecretKeys; provider: Provider; jwks: SigningJwk[]; decisions: AccessDecisions; keyCache: KeyCache }
type ProxyRequest = FastifyRequest<{ Params: { slug: string } }>;
type Identified = Exclude<Caller, 'rejected' | 'anonymous'>;

export const PROXY_FORBIDDEN = 'The user does not have enough permissions to see the page';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function answer(reply: FastifyReply, status: number, text: string, type = 'text/plain; charset=utf-8') {
  return reply.status(status).type(type).send(text);
}

function upstreamError(reply: FastifyReply, error: Error & { statusCode?: number }) {
  const timeout = error.statusCode === 504 || /timeout/i.test(error.message);
  return timeout ? answer(reply, 504, 'The upstream service did not answer in time.') : answer(reply, 502, 'The upstream service is unavailable.');
}

/** §8.1 + §8.2: the caller and the resource they may use; undefined once a refusal is sent. */
async function authorise(deps: ProxyDeps, request: ProxyRequest, reply: FastifyReply): Promise<{ caller: Identified; resource: Resource; teams: string[] } | undefined> {
  const authkeyAllowed = !deps.config.DJAM_REQUIRE_SECURE_HTTP_FOR_GEOSERVER_INTROSPECTION || isSecureRequest(request, deps.config.DJAM_SECURE_PROXY_HEADER);
  const caller = await identifyCaller({ ...deps, authkeyAllowed }, request);
  if (caller === 'rejected' || caller === 'anonymous') return void answer(reply, 403, PROXY_FORBIDDEN, 'text/html; charset=utf-8');
  // §8.3: cookie-authenticated unsafe requests need the signed CSRF cookie echoed in X-CSRFToken
  // (the body is streamed, never parsed, so a form field cannot carry it).
  if (caller.via === 'session' && UNSAFE.has(request.method)) verifyCsrf(deps.keys, request);
  const decision = /^[-\w]{1,50}$/.test(request.params.slug) ? await deps.decisions.decide(caller.user, request.params.slug) : undefined;
  if (!decision?.resource || !decision.allowed) return void answer(reply, 404, 'Not Found', 'text/html; charset=utf-8');
  return { caller, resource: decision.resource, teams: decision.teams };
}

async function forward(deps: ProxyDeps, signer: IdentitySigner, request: ProxyRequest, reply: FastifyReply) {
  const allowed = await authorise(deps, request, reply);
  if (!allowed) return reply;
  const { caller, resource, teams } = allowed;
  if (resource.type !== UPSTREAM_SERVICE) return reply.status(204).send();
  const upstream = URL.parse(resource.url ?? '');
  if (!upstream) return answer(reply, 502, 'The upstream service has no valid URL configured.');
  const rest = subPathOf(request.url);
  if (rest === false) return answer(reply, 400, 'The path is not valid.');
  const path = rest === undefined ? upstream.pathname : `${upstream.pathname.replace(/\/$/, '')}${rest}`;
  const target = new URL(`${upstream.origin}${path}`);
  const identity = await signer.sign(caller.user, upstream.origin, teams);
  return send(reply, request, target, upstream, resource, { via: caller.via, identity });
}

function send(reply: FastifyReply, request: ProxyRequest, target: URL, upstream: URL, resource: Resource, who: { via: CallerVia; identity: string }) {
  const ownOrigin = `${request.protocol}://${request.host}`;
  const ctx = { consumedAuthorization: who.via === 'basic' || who.via === 'bearer', identity: who.identity, clientIp: request.ip, proto: request.protocol, host: request.host };
  return reply.from(target.href, {
    queryString: () => forwardedQuery(request.url, upstream.search),
    rewriteRequestHeaders: (_req, headers) => upstreamRequestHeaders(headers, ctx),
    rewriteHeaders: (headers) => {
      reply.foreignContent = true; // the upstream's page keeps its own security headers
      return typeof headers.location === 'string'
        ? { ...headers, location: rewriteLocation(headers.location, target, upstream, resource.slug, ownOrigin) } : headers;
    },
    // §8.3: the upstream's answer is passed back as it is; reply-from would retry a GET's 503 ten times.
    retryDelay: () => null,
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
    const handler = (request: ProxyRequest, reply: FastifyReply) => forward(deps, signer, request, reply);
    scope.all('/service/:slug', handler);
    scope.all('/service/:slug/*', handler);
  });
}
