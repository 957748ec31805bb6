// Host-header check of the prod and test profiles (docs/compatibility.md §1.2 DJAM_ALLOWED_HOSTS; unset means the
// host of SITEURL): links, redirects and the issuer are built from the Host, so a forged one
// is refused with 400 before anything runs.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';

export function registerAllowedHosts(app: FastifyInstance, config: Config): void {
  if (config.DJAM_PROJECT_ENVIRONMENT !== 'prod' && config.DJAM_PROJECT_ENVIRONMENT !== 'test') return;
  const allowed = new Set((config.DJAM_ALLOWED_HOSTS?.length ? config.DJAM_ALLOWED_HOSTS : [new URL(config.baseUrl).host]).map((h) => h.toLowerCase()));
  const hostOnly = new Set([...allowed].map((h) => h.replace(/:\d+$/, '')));
  app.addHook('onRequest', async (request, reply) => {
    const host = (request.headers.host ?? '').toLowerCase();
    if (allowed.has('*') || allowed.has(host) || hostOnly.has(host)) return;
    // Health probes come from the orchestrator by IP; they reveal nothing.
    if (request.url === '/healthz' || request.url === '/readyz') return;
    return reply.status(400).type('text/plain; charset=utf-8').send('Bad Request: this host name is not served here.');
  });
}
