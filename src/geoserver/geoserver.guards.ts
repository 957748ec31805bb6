// What the GeoServer endpoints share: the secure-HTTP rule (§4.6), the body the introspection
// endpoints answer when they name nobody, and the answer past the per-IP limit on failed checks
// (§12 item 6: the original let anyone guess keys and passwords here without limit).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { isSecureRequest } from '../http/secure-request.ts';

export const NO_IDENTITY = { username: null, groups: null } as const;

const MINUTE_MS = 60_000;

/** True when the rule is on and the request reached us (or the trusted proxy) over plain HTTP. */
export function breaksSecureRule(config: Config, request: FastifyRequest): boolean {
  return config.DJAM_REQUIRE_SECURE_HTTP_FOR_GEOSERVER_INTROSPECTION && !isSecureRequest(request, config.DJAM_SECURE_PROXY_HEADER);
}

/** DRF's throttling answer. */
export function throttled(reply: FastifyReply) {
  return reply.status(429).header('retry-after', String(MINUTE_MS / 1000)).send({ detail: 'Request was throttled.' });
}
