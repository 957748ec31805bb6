// The authenticated reverse proxy (docs/compatibility.md §8): /service/<slug> and, new, /service/<slug>/<rest>.
// Bodies stream both ways through undici (upstream-client.ts, reply-relay.ts); an answer that
// arrives whole in one socket read is passed on in one piece.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Agent } from 'undici';
import type Provider from 'oidc-provider';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import type { SigningKeyRing } from '../signing-keys/index.ts';
import type { KeyCache } from '../api-keys/index.ts';
import { AppError, catalogue } from '../errors.ts';
import { retryAfterOf, type CredentialThrottle } from '../users/index.ts';
import { UPSTREAM_SERVICE, type AccessDecisions, type Resource } from '../protected-resources/index.ts';
import { verifyCsrf } from '../http/csrf.ts';
import { isSecureRequest } from '../http/secure-request.ts';
import { identifyCaller, type Caller, type CallerDeps, type CallerVia } from './identify-caller.ts';
import { createBearerCheck, type BearerCheck } from './bearer-token.ts';
import { createIdentitySigner, type IdentitySigner } from './identity-token.ts';
import { cachedSigner } from './identity-cache.ts';
import type { CacheRegistry } from '../cache/index.ts';
import { forwardedQuery, upstreamRequestHeaders } from './forwarding.ts';
import { ClientAnswer, type AnswerRoute } from './client-answer.ts';
import { createIsolation, type Isolation } from './upstream-isolation.ts';
import { subPathOf } from './sub-path.ts';
import { targetOf, upstreamOf } from './upstream-target.ts';
import { createUpstreamAgent, relay } from './upstream-client.ts';

export interface ProxyDeps {
  config: Config; db: Db; keys: SecretKeys; provider: Provider; signingKeys: SigningKeyRing; decisions: AccessDecisions; keyCache: KeyCache; throttle: CredentialThrottle;
  caches: CacheRegistry;
}
/** What every proxied request uses, built once. */
interface Proxying { deps: ProxyDeps; bearer: BearerCheck; signer: IdentitySigner; agent: Agent; isolation: Isolation }
type ProxyRequest = FastifyRequest<{ Params: { slug: string } }>;
type Identified = Exclude<Caller, 'rejected' | 'anonymous'>;

const PROXY_FORBIDDEN = 'The user does not have enough permissions to see the page';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function answer(reply: FastifyReply, status: number, text: string, type = 'text/plain; charset=utf-8') {
  return reply.status(status).type(type).send(text);
}

/** The caller; undefined once a 429 is sent for a password or key the credential throttle would not check. */
async function identify(deps: CallerDeps, request: ProxyRequest, reply: FastifyReply): Promise<Caller | undefined> {
  try {
    return await identifyCaller(deps, request);
  } catch (err) {
    if (err instanceof AppError && err.code === 'MFA_REQUIRED') return void answer(reply, 403, err.message);
    const seconds = retryAfterOf(err);
    if (seconds === undefined) throw err;
    return void answer(reply.header('retry-after', String(seconds)), 429, catalogue.RATE_LIMITED.message);
  }
}

/** docs/compatibility.md §8.1 + §8.2: the caller and the resource they may use; undefined once a refusal is sent. */
async function authorise({ deps, bearer }: Proxying, request: ProxyRequest, reply: FastifyReply): Promise<{ caller: Identified; resource: Resource; teams: string[] } | undefined> {
  const authkeyAllowed = !deps.config.DJAM_REQUIRE_SECURE_HTTP_FOR_GEOSERVER_INTROSPECTION || isSecureRequest(request, deps.config.DJAM_SECURE_PROXY_HEADER);
  const caller = await identify({ ...deps, bearer, authkeyAllowed, baseUrl: deps.config.baseUrl }, request, reply);
  if (!caller) return undefined;
  if (caller === 'rejected' || caller === 'anonymous') return void answer(reply, 403, PROXY_FORBIDDEN, 'text/html; charset=utf-8');
  // docs/compatibility.md §8.3: cookie-authenticated unsafe requests need the signed CSRF cookie echoed in X-CSRFToken
  // (the body is streamed, never parsed, so a form field cannot carry it).
  if (caller.via === 'session' && UNSAFE.has(request.method)) verifyCsrf(deps.keys, request);
  const decision = /^[-\w]{1,50}$/.test(request.params.slug) ? await deps.decisions.decide(caller.user, request.params.slug) : undefined;
  if (!decision?.resource || !decision.allowed) return void answer(reply, 404, 'Not Found', 'text/html; charset=utf-8');
  return { caller, resource: decision.resource, teams: decision.teams };
}

/** Never resolves to the reply: Fastify would then wait on the response's end to settle it. */
async function forward(proxying: Proxying, request: ProxyRequest, reply: FastifyReply): Promise<void> {
  const allowed = await authorise(proxying, request, reply);
  if (!allowed) return;
  const { caller, resource, teams } = allowed;
  if (resource.type !== UPSTREAM_SERVICE) return void reply.status(204).send();
  const upstream = upstreamOf(resource);
  if (!upstream) return void answer(reply, 502, 'The upstream service has no valid URL configured.');
  const rest = subPathOf(request.url);
  if (rest === false) return void answer(reply, 400, 'The path is not valid.');
  const target = targetOf(upstream, rest);
  const identity = await proxying.signer.sign(caller.user, upstream.origin, teams);
  send(proxying, reply, request, { target, upstream, slug: resource.slug }, { via: caller.via, identity });
}

function send({ agent, isolation }: Proxying, reply: FastifyReply, request: ProxyRequest, route: AnswerRoute, who: { via: CallerVia; identity: string }): void {
  const { protocol: proto, host } = request;
  const body = request.body instanceof Readable ? request.body : undefined;
  const ctx = {
    consumedAuthorization: who.via === 'basic' || who.via === 'bearer', identity: who.identity, clientIp: request.ip, proto, host,
    hasBody: body !== undefined, isOwnCookie: isolation.isOwnCookie,
  };
  const query = forwardedQuery(request.url, route.upstream.search);
  const exchange = {
    origin: route.target.origin,
    path: query ? `${route.target.pathname}?${query}` : route.target.pathname,
    method: request.method,
    headers: upstreamRequestHeaders(request.headers, ctx),
    body,
  };
  relay(agent, reply, exchange, new ClientAnswer(request, route, `${proto}://${host}`, isolation));
}

export async function proxyRoutes(app: FastifyInstance, deps: ProxyDeps): Promise<void> {
  const { config, provider, signingKeys } = deps;
  const proxying: Proxying = {
    deps,
    bearer: createBearerCheck({ provider, issuer: config.issuer, baseUrl: config.baseUrl, signingKeys }),
    signer: cachedSigner(createIdentitySigner(config.issuer, signingKeys), deps.caches),
    agent: createUpstreamAgent(config.DJAM_PROXY_TIMEOUT_MS),
    isolation: createIsolation(provider, config.DJAM_PROXY_SANDBOX_EXEMPT ?? []),
  };
  // onClose runs once the server has answered its last request: no exchange is cut short.
  app.addHook('onClose', () => proxying.agent.destroy());
  await app.register(async (scope) => {
    // Request bodies are handed to the upstream as the incoming stream.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { bodyLimit: Number.MAX_SAFE_INTEGER }, (_request, payload, done) => done(null, payload));
    // Not async: the reply is sent when the upstream answers; a failure before that is Fastify's error answer.
    const handler = (request: ProxyRequest, reply: FastifyReply) => {
      forward(proxying, request, reply).catch((error: Error) => reply.send(error));
    };
    scope.all('/service/:slug', handler);
    scope.all('/service/:slug/*', handler);
  });
}
