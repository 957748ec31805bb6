// The endpoints GeoServer calls (§4): AuthKey and credential introspection, token
// introspection, and the REST role service. One plugin; its failed-check limiter is the one
// the key API counts in too (created in app.ts).
import type { FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import type { KeyCache, LastUsedRecorder } from '../api-keys/index.ts';
import type { AttemptLimiter } from '../http/rate-limit.ts';
import { introspectionRoutes } from './introspection.routes.ts';
import { roleServiceRoutes } from './role-service.routes.ts';
import { tokenIntrospectionRoutes } from './token-introspection.routes.ts';

interface GeoServerDeps {
  config: Config; db: Db; keys: SecretKeys; provider: Provider;
  /** Batches "last used" stamps of the keys that passed a check. */
  keyUsage: LastUsedRecorder;
  /** Found keys in memory, dropped when a change is announced. */
  keyCache: KeyCache;
}

export type GeoServerRouteDeps = GeoServerDeps & { limiter: AttemptLimiter };

export async function geoserverRoutes(app: FastifyInstance, routeDeps: GeoServerRouteDeps): Promise<void> {
  await app.register(introspectionRoutes, routeDeps);
  await app.register(tokenIntrospectionRoutes, routeDeps);
  await app.register(roleServiceRoutes, routeDeps);
}
