// The key-management REST API at /openid/api/token/ (docs/compatibility.md §5). These static paths win over the
// provider's /openid/* wildcard. Errors answer DRF's `{"detail": …}`; successes Django's spaced JSON.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { AppError } from '../errors.ts';
import { fieldsOf, useDrfBodyParsers } from '../http/drf-body.ts';
import { documentedBy } from '../http/route-docs.ts';
import { drfThrottled } from '../http/drf-auth.ts';
import { retryAfterOf, type CredentialThrottle } from '../users/index.ts';
import type { FoundKey } from './api-keys.service.ts';
import type { LastUsedRecorder } from './last-used.ts';
import { authenticateManagementKey } from './key-api.auth.ts';
import { spacedJson } from './key-api.format.ts';
import { keyActionDocs, keyApiBodySchemas } from './key-api.schemas.ts';
import { KEY_ACTIONS, keyApiActor, runKeyAction } from './key-api.service.ts';

export interface KeyApiDeps {
  config: Config; db: Db; keys: SecretKeys; keyUsage: LastUsedRecorder;
  /** Counts failed key checks, with every other door's passwords and keys. */
  throttle: CredentialThrottle;
}

const BASE = '/openid/api/token/';
const OTHER_METHODS = ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

function detailErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const seconds = retryAfterOf(err);
  if (seconds !== undefined) return drfThrottled(reply, seconds);
  if (err instanceof AppError) return reply.status(err.status).send({ detail: err.message });
  const status = err.statusCode ?? 500;
  if (status < 500) return reply.status(status).send({ detail: err.message });
  throw err; // the root handler logs it and answers 500
}

// Django's APPEND_SLASH: the slash-less spellings answer 301 to the slashed URL, query kept.
function appendSlash(app: FastifyInstance, path: string): void {
  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], url: path,
    handler: (request, reply) => reply.redirect(`${path}/${request.url.slice(path.length)}`, 301),
  });
}

export async function keyApiRoutes(app: FastifyInstance, deps: KeyApiDeps): Promise<void> {
  app.get(BASE, async () => ({})); // DRF's router root
  appendSlash(app, BASE.slice(0, -1));
  for (const action of KEY_ACTIONS) appendSlash(app, `${BASE}${action}`);

  await app.register(async (scope) => {
    const callers = new WeakMap<FastifyRequest, FoundKey>();
    useDrfBodyParsers(scope);
    for (const schema of keyApiBodySchemas) scope.addSchema(schema);
    scope.setErrorHandler(detailErrors);

    // onRequest runs before the body is read: as in DRF, a bad credential is a 401 whatever the body
    // (and a throttled one a 429, through detailErrors).
    scope.addHook('onRequest', async (request, reply) => {
      const auth = await authenticateManagementKey(deps, request.headers.authorization, request.ip);
      if ('failure' in auth) {
        request.log.info({ reason: auth.failure }, 'apikey.api.auth_failed');
        return reply.status(401).header('www-authenticate', 'Token').send({ detail: auth.failure });
      }
      deps.keyUsage.record(auth.caller.id);
      callers.set(request, auth.caller);
    });

    for (const action of KEY_ACTIONS) {
      scope.post(`${BASE}${action}/`, documentedBy(keyActionDocs(action)), async (request, reply) => {
        const caller = callers.get(request)!;
        const answer = await runKeyAction(deps, action, caller, keyApiActor(caller, request.ip), fieldsOf(request.body));
        return reply.type('application/json').send(spacedJson(answer));
      });
      // Other methods name no action, which the original's permission check refuses (docs/compatibility.md §5.3).
      scope.route({
        method: [...OTHER_METHODS], url: `${BASE}${action}/`,
        handler: async () => { throw new AppError('APIKEY_RESOURCE_KEY_REFUSED'); },
      });
    }
  });
}
