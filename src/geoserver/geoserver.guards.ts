// What the GeoServer endpoints share: the secure-HTTP rule (docs/compatibility.md §4.6) and the body the introspection
// endpoints answer when they name nobody.
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { isSecureRequest } from '../http/secure-request.ts';

export const NO_IDENTITY = { username: null, groups: null } as const;

/** True when the rule is on and the request reached us (or the trusted proxy) over plain HTTP. */
export function breaksSecureRule(config: Config, request: FastifyRequest): boolean {
  return config.DJAM_REQUIRE_SECURE_HTTP_FOR_GEOSERVER_INTROSPECTION && !isSecureRequest(request, config.DJAM_SECURE_PROXY_HEADER);
}
