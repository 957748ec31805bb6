// POST /openid/introspect/geoserver/ (docs/compatibility.md §4.4): a plain Django view in the original, so no DRF
// negotiation or authentication; form fields only, any failure `{"active": false}`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { documentedBy } from '../http/route-docs.ts';
import { checkKey, retryAfterOf } from '../users/index.ts';
import { breaksSecureRule } from './geoserver.guards.ts';
import type { GeoServerRouteDeps } from './geoserver.deps.ts';
import { tokenIntrospectionDocs } from './geoserver.schemas.ts';
import { introspectForGeoServer, type GeoServerIntrospection, type IntrospectionRequest } from './token-introspection.service.ts';

const INTROSPECT_URL = '/openid/introspect/geoserver/';

function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}

/** RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and Base64-encoded. */
function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replaceAll('+', ' '));
  } catch {
    return s;
  }
}

/** A protocol endpoint's refusal in RFC 6749 §5.2's shape; `slow_down` is the registered code for "too often" (RFC 8628 §3.5). */
function throttled(reply: FastifyReply, seconds: number) {
  const body = { error: 'slow_down', error_description: `Too many failed client authentications from this address; retry in ${seconds} s.` };
  return reply.status(429).header('retry-after', String(seconds)).send(body);
}

/** HTTP Basic client credentials win over form fields, as django-oidc-provider reads them. */
function introspectionRequest(request: FastifyRequest): IntrospectionRequest {
  const form = (request.body ?? {}) as Record<string, string | undefined>;
  const basic = /^basic\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  const decoded = basic ? Buffer.from(basic[1], 'base64').toString('utf8') : undefined;
  const colon = decoded?.indexOf(':') ?? -1;
  if (decoded !== undefined && colon >= 0) {
    return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)), token: form.token };
  }
  return { clientId: form.client_id, clientSecret: form.client_secret, token: form.token };
}

/**
 * The client's secret is a key check for the credential throttle: the introspection's answer, or
 * the seconds to wait. Only wrong client credentials count: GeoServer relays its users' stale
 * tokens all day.
 */
async function introspect(deps: GeoServerRouteDeps, request: FastifyRequest): Promise<GeoServerIntrospection | number> {
  const check = () => introspectForGeoServer(deps, introspectionRequest(request));
  try {
    return await checkKey(deps.throttle, request.ip, check, (r) => !r.active && r.clientAuthFailed);
  } catch (err) {
    const seconds = retryAfterOf(err);
    if (seconds === undefined) throw err;
    return seconds;
  }
}

export async function tokenIntrospectionRoutes(app: FastifyInstance, deps: GeoServerRouteDeps): Promise<void> {
  // Only url-encoded forms carry fields (Django's request.POST); any other body is ignored
  // rather than refused, so a client sending JSON learns `{"active": false}`, not a 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

  app.post(INTROSPECT_URL, documentedBy(tokenIntrospectionDocs), async (request, reply) => {
    noStore(reply);
    if (breaksSecureRule(deps.config, request)) return reply.status(400).send({ error: 'HTTPS required' });
    const result = await introspect(deps, request);
    if (typeof result === 'number') return throttled(reply, result);
    return result.active ? result.body : { active: false };
  });
  // Django's View answers a method it lacks with an empty 405 naming the allowed ones.
  app.route({ method: ['GET', 'PUT', 'PATCH', 'DELETE'], url: INTROSPECT_URL, handler: (_request, reply) => reply.status(405).header('allow', 'POST, OPTIONS').send() });
  app.options(INTROSPECT_URL, (_request, reply) => reply.header('allow', 'POST, OPTIONS').send());
}
