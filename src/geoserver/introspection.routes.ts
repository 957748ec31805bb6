// GET /openid/authkey/introspect/ (docs/compatibility.md §4.1) and GET /openid/credentials/introspect/ (§4.2): DRF
// views with the JSON renderer only. The order of the checks decides the status GeoServer sees:
// renderer (406), then DRF authentication (403 on bad Basic), then the key or credentials.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticateDrf, DRF, drfDetail, refusedBasic, type DrfAuth } from '../http/drf-auth.ts';
import { JSON_ONLY, negotiate } from '../http/drf-negotiation.ts';
import { appendSlash, ignoreRequestBodies, refuseOtherMethods } from '../http/drf-views.ts';
import { queryParam } from '../http/query-param.ts';
import { documentedBy } from '../http/route-docs.ts';
import { introspectAuthKey } from './authkey.service.ts';
import { checkCredentials } from './credentials.service.ts';
import { catalogue } from '../errors.ts';
import { breaksSecureRule, NO_IDENTITY } from './geoserver.guards.ts';
import type { GeoServerRouteDeps } from './geoserver.deps.ts';
import { authKeyIntrospectionDocs, credentialsIntrospectionDocs } from './geoserver.schemas.ts';

const AUTHKEY_URL = '/openid/authkey/introspect/';
const CREDENTIALS_URL = '/openid/credentials/introspect/';
// docs/compatibility.md §4.2's statuses; unknown user and wrong password stay distinct, as GeoServer setups expect.
const STATUS_OF = { malformed: 400, 'unknown-user': 404, 'wrong-password': 401, 'mfa-required': 403 } as const;

/** DRF's refusal of an invalid key: the text depends on who the request authenticated as. */
function invalidKeyDetail(auth: DrfAuth): string {
  if (auth.kind === 'bad-credentials') return DRF.badBasic;
  return auth.kind === 'user' ? 'Invalid resource key' : DRF.notProvided;
}

// Failed passwords and keys are counted by the credential throttle where they are checked; a
// check it refuses throws RATE_LIMITED, which the GeoServer plugin answers as DRF's Throttled.
export async function introspectionRoutes(app: FastifyInstance, deps: GeoServerRouteDeps): Promise<void> {
  ignoreRequestBodies(app);
  const fail = (request: FastifyRequest, event: string) => request.log.info({ ip: request.ip }, event);

  // Django's APPEND_SLASH; GeoServer configurations copied without the slash keep working.
  appendSlash(app, AUTHKEY_URL.slice(0, -1));
  appendSlash(app, CREDENTIALS_URL.slice(0, -1));

  app.get(AUTHKEY_URL, documentedBy(authKeyIntrospectionDocs), async (request, reply) => {
    if (!(await negotiate(request, reply, JSON_ONLY))) return reply;
    const owner = await introspectAuthKey(deps, queryParam(request, 'authkey'), request.ip);
    const auth = await authenticateDrf(deps, request);
    if (auth.kind === 'throttled') return refusedBasic(reply, auth);
    if (!owner || auth.kind === 'bad-credentials') {
      fail(request, 'geoserver.authkey_refused');
      return drfDetail(reply, 403, invalidKeyDetail(auth));
    }
    // docs/compatibility.md §4.6: checked after the key, as the original did.
    if (breaksSecureRule(deps.config, request)) return reply.status(400).send(NO_IDENTITY);
    deps.keyUsage.record(owner.keyId);
    return { username: owner.username, groups: owner.groups };
  });
  refuseOtherMethods(app, AUTHKEY_URL, { name: 'Authkey Introspection', formats: JSON_ONLY });

  app.get(CREDENTIALS_URL, documentedBy(credentialsIntrospectionDocs), async (request, reply) => {
    if (!(await negotiate(request, reply, JSON_ONLY))) return reply;
    const auth = await authenticateDrf(deps, request);
    if (auth.kind === 'bad-credentials') fail(request, 'geoserver.basic_refused');
    if (refusedBasic(reply, auth)) return reply;
    if (breaksSecureRule(deps.config, request)) return reply.status(400).send(NO_IDENTITY);
    const result = await checkCredentials(deps, queryParam(request, 'u'), queryParam(request, 'p'), request.ip);
    if (result.outcome === 'valid') return { username: result.username, groups: result.groups };
    if (result.outcome !== 'malformed') fail(request, `geoserver.credentials_${result.outcome}`);
    // #22: the reason is told, so the administrator knows to give the user an API key instead.
    if (result.outcome === 'mfa-required') return reply.status(403).send({ ...NO_IDENTITY, detail: catalogue.MFA_REQUIRED.message });
    return reply.status(STATUS_OF[result.outcome]).send(NO_IDENTITY);
  });
  refuseOtherMethods(app, CREDENTIALS_URL, { name: 'Credentials Introspection', formats: JSON_ONLY });
}
