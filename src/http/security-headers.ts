// Security headers on every response (docs/compatibility.md §0.2 plus a CSP for our own pages). A reply that passes on
// another service's answer (the proxy) sets `foreignContent`: that page keeps the headers its
// service chose, we only fill in the ones it left out, and never impose our CSP, which would
// break its scripts and frames.
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyReply { foreignContent: boolean }
}

const CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

export function registerSecurityHeaders(app: FastifyInstance, opts: { hsts: boolean }): void {
  app.decorateReply('foreignContent', false);
  app.addHook('onSend', async (_request, reply, payload) => {
    const foreign = reply.foreignContent;
    const set = (name: string, value: string) => (foreign && reply.hasHeader(name) ? reply : reply.header(name, value));
    set('X-Frame-Options', 'DENY');
    set('X-Content-Type-Options', 'nosniff');
    set('Referrer-Policy', 'same-origin');
    const type = String(reply.getHeader('content-type') ?? '');
    if (!foreign && type.startsWith('text/html') && !reply.hasHeader('content-security-policy')) reply.header('Content-Security-Policy', CSP);
    if (opts.hsts) reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    return payload;
  });
}
