// "Secure" for the GeoServer secure-HTTP rule (docs/compatibility.md §4.6): the request reached us over https, or a
// trusted TLS-terminating proxy says so in the configured header.
import type { FastifyRequest } from 'fastify';

export function isSecureRequest(request: FastifyRequest, proxyHeader: string | undefined): boolean {
  if (request.protocol === 'https') return true;
  if (!proxyHeader) return false;
  const value = request.headers[proxyHeader.toLowerCase()];
  return (Array.isArray(value) ? value[0] : value)?.split(',')[0].trim().toLowerCase() === 'https';
}
