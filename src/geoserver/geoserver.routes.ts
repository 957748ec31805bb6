// The endpoints GeoServer calls (docs/compatibility.md §4): AuthKey and credential introspection, token
// introspection, and the REST role service. One plugin; its passwords and keys are counted by
// the credential throttle every other door counts in too (created in app.ts).
import type { FastifyInstance } from 'fastify';
import { retryAfterOf } from '../users/index.ts';
import { drfThrottled } from '../http/drf-auth.ts';
import type { GeoServerRouteDeps } from './geoserver.deps.ts';
import { introspectionRoutes } from './introspection.routes.ts';
import { roleServiceRoutes } from './role-service.routes.ts';
import { tokenIntrospectionRoutes } from './token-introspection.routes.ts';

export async function geoserverRoutes(app: FastifyInstance, routeDeps: GeoServerRouteDeps): Promise<void> {
  // A key check the throttle refused answers as DRF's Throttled; every other error goes on to the root handler.
  app.setErrorHandler((err, _request, reply) => {
    const seconds = retryAfterOf(err);
    if (seconds === undefined) throw err;
    return drfThrottled(reply, seconds);
  });
  await app.register(introspectionRoutes, routeDeps);
  await app.register(tokenIntrospectionRoutes, routeDeps);
  await app.register(roleServiceRoutes, routeDeps);
}
