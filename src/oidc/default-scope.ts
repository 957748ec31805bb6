// Adds the default scopes to authorize and client-credentials requests that name none, before
// the provider sees them (it validates them against the client as for any request).
import type { FastifyRequest } from 'fastify';
import type { ClientCache } from '../clients/index.ts';
import { defaultScopeFor } from './policies.ts';

interface Deps { clientCache: ClientCache; defaultScopes: string[] }

async function scopeForClient(deps: Deps, clientId: string | undefined): Promise<string | undefined> {
  if (!clientId) return undefined;
  const client = await deps.clientCache.get(clientId);
  return client ? defaultScopeFor(client.scope, deps.defaultScopes) : undefined;
}

/** Rewrites the authorize URL with `scope` when it has none. */
export async function withDefaultAuthorizeScope(deps: Deps, request: FastifyRequest): Promise<void> {
  const url = new URL(request.raw.url!, 'http://x');
  if (url.searchParams.has('scope')) return;
  const scope = await scopeForClient(deps, url.searchParams.get('client_id') ?? undefined);
  if (!scope) return;
  url.searchParams.set('scope', scope);
  request.raw.url = url.pathname + url.search;
}

function basicClientId(header: string | undefined): string | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i > 0 ? decodeURIComponent(decoded.slice(0, i)) : undefined;
}

/** Returns the token request body with `scope` added to a scope-less client-credentials grant. */
export async function withDefaultTokenScope(deps: Deps, request: FastifyRequest, body: string): Promise<string> {
  const params = new URLSearchParams(body);
  if (params.get('grant_type') !== 'client_credentials' || params.has('scope')) return body;
  const scope = await scopeForClient(deps, params.get('client_id') ?? basicClientId(request.headers.authorization));
  if (!scope) return body;
  params.set('scope', scope);
  return params.toString();
}
