// The composition root: the only file that knows every capability. buildApp() wires the
// dependencies once and registers each capability's routes.
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { LogController, type FastifyInstance, type FastifyServerFactory, type FastifyServerOptions } from 'fastify';
import type Provider from 'oidc-provider';
import type { Config } from './config.ts';
import type { Database, Db } from './db/client.ts';
import { confirmAnnounced, openChangeFeed, trackAnnouncements, type ChangeFeed } from './db/change-feed.ts';
import { createCacheRegistry } from './cache/index.ts';
import { createClientCache } from './clients/index.ts';
import { createAccessDecisions } from './protected-resources/index.ts';
import { createPreventionIndex } from './login-preventions/index.ts';
import { createCredentialThrottle, createSessionCache, createUserCache, postgresThrottleStore, redisThrottleStore } from './users/index.ts';
import type { SecretKeys } from './crypto/keys.ts';
import { openSigningKeyRing } from './signing-keys/index.ts';
import { registerErrorHandler } from './http/error-handler.ts';
import { registerClientAuthThrottle } from './http/client-auth-throttle.ts';
import { answerMalformedUrl } from './http/malformed-url.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { registerAllowedHosts } from './http/allowed-hosts.ts';
import { registerHttpsRule } from './http/https-rule.ts';
import { createPayloadCache, createProvider, interactionRoutes, mountProvider, providerSessionEnder, rewriteProviderUrl } from './oidc/index.ts';
import { loginRoutes } from './accounts/login.routes.ts';
import { selfServiceRoutes } from './accounts/accounts.routes.ts';
import { applicationRoutes } from './clients/applications.routes.ts';
import { sampleResourceRoutes } from './sample-resource/sample-resource.routes.ts';
import { proxyRoutes } from './proxy/index.ts';
import { createMetrics } from './ops/metrics.ts';
import { opsRoutes } from './ops/ops.routes.ts';
import { readinessChecker } from './ops/readiness.ts';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { logOptions } from './logging.ts';
import { parseProxyTrust, registerForwardedHeaderGuard } from './http/proxy-trust.ts';
import { createKeyCache, LastUsedRecorder } from './api-keys/index.ts';
import { keyApiRoutes } from './api-keys/key-api.routes.ts';
import { geoserverRoutes } from './geoserver/geoserver.routes.ts';
import { groupsRoutes } from './privileges/groups.routes.ts';
import { usersExportRoutes } from './users/users-export.routes.ts';
import { adminRoutes } from './admin/admin.routes.ts';
import { usersAdminRoutes } from './users/users.admin-routes.ts';
import { teamsAdminRoutes } from './privileges/teams.admin-routes.ts';
import { rolesAdminRoutes } from './privileges/roles.admin-routes.ts';
import { resourcesAdminRoutes } from './protected-resources/resources.admin-routes.ts';
import { apiKeysAdminRoutes } from './api-keys/api-keys.admin-routes.ts';
import { clientsAdminRoutes } from './clients/clients.admin-routes.ts';
import { initialAccessTokensAdminRoutes } from './clients/initial-access-tokens.admin-routes.ts';
import { loginPreventionsAdminRoutes } from './login-preventions/login-preventions.admin-routes.ts';
import { jobsAdminRoutes } from './ops/jobs.admin-routes.ts';
import { signingKeysAdminRoutes } from './signing-keys/signing-keys.admin-routes.ts';
import { auditAdminRoutes } from './audit/audit.admin-routes.ts';
import { consoleAdminRoutes } from './console/console.admin-routes.ts';
import { mfaAdminRoutes } from './mfa/mfa.admin-routes.ts';
import { consoleRoutes } from './console/console.routes.ts';
import { directoryPasswordCheck } from './federation/index.ts';
import { federationRoutes } from './federation/federation.routes.ts';
import { identityProvidersAdminRoutes } from './federation/identity-providers.admin-routes.ts';
import { registerOpenApi } from './openapi/openapi.routes.ts';
import { createMailer, mailJobHandlers, type Mailer } from './mail/index.ts';
import { createQueue, type Queue } from './queue/index.ts';
import { backchannelLogoutJobs } from './oidc/backchannel-logout.ts';
import { registerEventStream } from './events/events.routes.ts';
import { eventsAdminRoutes } from './audit/events.admin-routes.ts';
import { webhookJobHandlers } from './webhooks/index.ts';
import { webhooksAdminRoutes } from './webhooks/webhooks.admin-routes.ts';

export interface AppDeps {
  config: Config;
  db: Db;
  /** Notifications of the database (cross-node cache invalidation); absent in a few unit setups. */
  listen?: Database['listen'];
  keys: SecretKeys;
  logger?: FastifyServerOptions['logger'];
  /** Tests may pass their own mailer; by default SMTP or the outbox folder. */
  mailer?: Mailer;
  /** Tests serve on a server already bound to its port (the issuer names the port before the app exists). */
  serverFactory?: FastifyServerFactory;
}

export interface App { app: FastifyInstance; provider: Provider; queue: Queue; changes: ChangeFeed }

// Secrets a client may put in a query string (userinfo's access_token, GeoServer's authkey,
// credential checks) never reach the log.
const SECRET_PARAMS = /([?&](?:access_token|authkey|p|code|token|refresh_token|client_secret|activation_code)=)[^&]*/gi;

function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}

function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return config.DJAM_LOG_LEVEL === 'silent' ? false : logOptions(config);
}

export async function buildApp(input: AppDeps): Promise<App> {
  const { config } = input;
  // The change feed and the caches behind it belong to this app (a process may build several).
  const changes = await openChangeFeed(input);
  const caches = createCacheRegistry(changes);
  // #23: `directory` is the LDAP password check every password door's authenticate() asks (absent without DJAM_LDAP_URL).
  const deps = { ...input, changes, sessionCache: createSessionCache(caches, input.db), directory: directoryPasswordCheck(input) };
  const proxyTrust = parseProxyTrust(config.DJAM_TRUST_PROXY);
  const app = Fastify({
    logger: deps.logger ?? loggerOptions(config),
    trustProxy: proxyTrust,
    rewriteUrl: (req) => rewriteProviderUrl(req.url ?? '/'),
    bodyLimit: 1024 * 1024,
    serverFactory: deps.serverFactory,
    frameworkErrors: answerMalformedUrl,
    // An incoming X-Request-Id (from the proxy in front) is kept when it looks sane.
    requestIdHeader: false,
    // One line per request (below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    },
  });
  registerForwardedHeaderGuard(app, proxyTrust, config.DJAM_SECURE_PROXY_HEADER);
  app.addHook('onRequest', async (request, reply) => { reply.header('x-request-id', request.id); });
  app.addHook('onResponse', async (request, reply) => {
    // On every request: build nothing when info lines are off (DJAM_LOG_LEVEL=warn in production).
    if ((pino.levels.values[request.log.level] ?? 0) > pino.levels.values.info) return;
    // The provider mount rewrites raw.url; originalUrl keeps what the client asked for.
    const url = (request.raw as { originalUrl?: string }).originalUrl ?? request.url;
    request.log.info({ method: request.method, url: redactUrl(url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
  const metrics = createMetrics(deps.db, changes);
  metrics.instrument(app);
  registerEventStream(app, { log: app.log.child({ logger: 'events' }), count: metrics.eventRecorded });
  const mailer = deps.mailer ?? createMailer(config);
  const queue = createQueue(config, deps.db, { ...mailJobHandlers(mailer), ...webhookJobHandlers(deps), ...backchannelLogoutJobs(() => provider, deps.db) }, app.log);
  app.addHook('onReady', async () => queue.start());
  app.addHook('onClose', async () => { await queue.stop(); mailer.close(); });
  const clientCache = createClientCache(caches, deps.db);
  const preventions = createPreventionIndex(caches, deps.db);
  const userCache = createUserCache(caches, deps.db);
  const decisions = createAccessDecisions(caches, deps.db);
  const keyCache = createKeyCache(caches, deps);
  const payloadCache = createPayloadCache(caches);
  // Every door that checks a password or a key counts in this one throttle (#17 item 1), in a
  // store every node shares (#20).
  const throttleStore = config.DJAM_REDIS_URL ? redisThrottleStore(config.DJAM_REDIS_URL) : postgresThrottleStore(deps.db);
  app.addHook('onClose', () => throttleStore.close());
  const throttle = createCredentialThrottle(config, throttleStore);
  app.addHook('onClose', () => changes.close());
  // A request that changed something answers once every node has applied the change (hijacked
  // provider replies wait in oidc/mount.ts, where onSend does not run).
  app.addHook('onRequest', (_request, _reply, done) => trackAnnouncements(changes, done));
  app.addHook('onSend', async (_request, _reply, payload) => { await confirmAnnounced(); return payload; });
  // The signing keys follow the database without a restart (#20): the provider, the proxy's bearer
  // check and identity signer, and the admin API read them here.
  const signingKeys = await openSigningKeyRing({ ...deps, log: app.log });
  app.addHook('onClose', () => signingKeys.close());
  const provider = createProvider({ ...deps, signingKeys, clientCache, userCache, payloadCache, queue });
  provider.on('server_error', (_ctx, err) => app.log.error({ err }, 'oidc.server_error'));
  provider.on('grant.success', (ctx) => metrics.tokenIssued(String(ctx.oidc.params?.grant_type ?? 'unknown')));
  await app.register(opsRoutes, {
    metrics, metricsToken: config.DJAM_METRICS_TOKEN,
    readiness: readinessChecker(deps.db, { brokerProbe: config.DJAM_RABBITMQ_HOST ? () => queue.probe() : undefined, changes }),
  });
  await app.register(cookie);
  await app.register(formbody);
  registerAllowedHosts(app, config);
  registerHttpsRule(app, config);
  registerSecurityHeaders(app, { hsts: config.baseUrl.startsWith('https://') });
  registerErrorHandler(app);
  registerClientAuthThrottle(app, throttle);
  await mountProvider(app, { ...deps, provider, clientCache, preventions });
  await app.register(interactionRoutes, { ...deps, provider, payloadCache });
  await app.register(loginRoutes, { ...deps, throttle, onLogout: providerSessionEnder(provider) });
  await app.register(selfServiceRoutes, { ...deps, throttle, queue });
  await app.register(federationRoutes, deps);
  await app.register(applicationRoutes, deps);
  await app.register(sampleResourceRoutes, { ...deps, provider });
  await app.register(proxyRoutes, { ...deps, caches, provider, signingKeys, decisions, keyCache, throttle });
  // The OpenAPI document covers the routes registered after it: the REST API below.
  await registerOpenApi(app);
  // Capabilities of the privilege issue register below; `keyUsage` batches "last used" stamps.
  const keyUsage = new LastUsedRecorder(deps.db);
  app.addHook('onClose', () => keyUsage.flush());
  await app.register(keyApiRoutes, { ...deps, keyUsage, throttle });
  await app.register(geoserverRoutes, { ...deps, provider, keyUsage, throttle, keyCache });
  await app.register(groupsRoutes, { ...deps, throttle });
  await app.register(usersExportRoutes, { ...deps, throttle });
  await app.register(adminRoutes, {
    ...deps, provider, queue, signingKeys, throttle,
    routes: [
      usersAdminRoutes, teamsAdminRoutes, rolesAdminRoutes, resourcesAdminRoutes, apiKeysAdminRoutes, clientsAdminRoutes, initialAccessTokensAdminRoutes,
      loginPreventionsAdminRoutes, jobsAdminRoutes, signingKeysAdminRoutes, auditAdminRoutes, consoleAdminRoutes, mfaAdminRoutes,
      eventsAdminRoutes, webhooksAdminRoutes, identityProvidersAdminRoutes,
    ],
  });
  await app.register(consoleRoutes);
  return { app, provider, queue, changes };
}
