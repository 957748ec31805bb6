// /healthz (the process answers), /readyz (it can serve) and /metrics (Prometheus text).
// /metrics answers loopback callers, or anyone presenting DJAM_METRICS_TOKEN as a Bearer token.
// Behind a reverse proxy on this host the socket peer is the proxy: the caller is loopback only
// when the client the trusted proxies name (request.ip) is loopback as well (#17 item 9).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { safeEqual } from '../crypto/keys.ts';
import type { createMetrics } from './metrics.ts';
import type { ReadinessReport } from './readiness.ts';

export interface OpsDeps { metrics: ReturnType<typeof createMetrics>; readiness: () => Promise<ReadinessReport>; metricsToken?: string }

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function isLoopbackCaller(request: FastifyRequest): boolean {
  return LOOPBACK.has(request.socket.remoteAddress ?? '') && LOOPBACK.has(request.ip);
}

export async function opsRoutes(app: FastifyInstance, deps: OpsDeps): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const report = await deps.readiness();
    return reply.status(report.ready ? 200 : 503).send(report);
  });

  app.get('/metrics', async (request, reply) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const allowed = deps.metricsToken ? Boolean(bearer) && safeEqual(bearer!, deps.metricsToken) : isLoopbackCaller(request);
    if (!allowed) return reply.status(403).send({ error: 'FORBIDDEN', message: 'Metrics are served to loopback callers or with DJAM_METRICS_TOKEN.' });
    return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
