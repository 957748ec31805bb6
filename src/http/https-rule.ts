// Pages and protocol endpoints over https only in prod (issue #17 item 16), and what the rest of
// the plumbing needs to know about how the browser reached us. Behind a TLS-terminating proxy the
// request counts as https when a DJAM_TRUST_PROXY peer says so (X-Forwarded-Proto, or the
// DJAM_SECURE_PROXY_HEADER); otherwise, in prod, GET and HEAD are sent to the https URL of
// SITEURL's host and anything else is refused (Django's SECURE_SSL_REDIRECT, without following a
// form POST, whose body would be sent in clear first anyway). Session and CSRF cookies are Secure
// in prod whatever the request.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { isSecureRequest } from './secure-request.ts';

interface Transport {
  isHttps: boolean;
  secureCookies: boolean;
  /** SITEURL's origin: trusted as the site's own next to the origin of the request. */
  siteOrigin: string;
}

declare module 'fastify' {
  interface FastifyRequest { transport: Transport | null }
}

// Orchestrator probes and metric scrapes reach the process by IP over the cluster network.
const EXEMPT_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
const REDIRECTED_METHODS = new Set(['GET', 'HEAD']);

/**
 * The request target as a path of SITEURL, in printable ASCII (Node reads it as Latin-1): safe in
 * a Location header. An absolute-form target (`GET http://other/ HTTP/1.1`) goes to the root.
 */
function printableTarget(url: string): string {
  if (!url.startsWith('/')) return '/';
  return url.replace(/[^\x21-\x7e]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function registerHttpsRule(app: FastifyInstance, config: Config): void {
  const site = new URL(config.baseUrl);
  const isProd = config.DJAM_PROJECT_ENVIRONMENT === 'prod';
  app.decorateRequest('transport', null);
  app.addHook('onRequest', async (request, reply) => {
    const isHttps = isSecureRequest(request, config.DJAM_SECURE_PROXY_HEADER);
    request.transport = { isHttps, secureCookies: isHttps || isProd, siteOrigin: site.origin };
    if (!isProd || isHttps || EXEMPT_PATHS.has(request.url.split('?')[0])) return;
    if (REDIRECTED_METHODS.has(request.method)) return reply.redirect(`${site.origin}${printableTarget(request.originalUrl)}`, 301);
    return reply.status(403).type('text/plain; charset=utf-8')
      .send(`Forbidden: this site accepts ${request.method} requests over https only. Use ${site.origin}/.`);
  });
}

/** The browser reached us over https, directly or through a trusted proxy. */
export function isHttpsRequest(request: FastifyRequest): boolean {
  return request.transport?.isHttps ?? request.protocol === 'https';
}

/** The origins a same-site browser request may come from: the request's own, then SITEURL's. */
export function ownOrigins(request: FastifyRequest): string[] {
  const scheme = isHttpsRequest(request) ? 'https' : 'http';
  const here = URL.parse(`${scheme}://${request.host}`)?.origin;
  const origins = here && here !== 'null' ? [here] : [];
  const site = request.transport?.siteOrigin;
  if (site && !origins.includes(site)) origins.push(site);
  return origins;
}
