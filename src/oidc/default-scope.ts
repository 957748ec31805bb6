// Adds the default scopes to authorize and client-credentials requests that name none, before
// the provider sees them (it validates them against the client as for any request).
import type { FastifyRequest } from 'fastify';
import type { ClientCache } from '../clients/index.ts';
import { defaultScopeFor } from './policies.ts';
import { findResourceServer, type ResourceServers } from '../config-resource-servers.ts';

interface Deps { clientCache: ClientCache; defaultScopes: readonly string[]; resourceServers?: ResourceServers }

async function scopeForClient(deps: Deps, clientId: string | undefined, defaults = deps.defaultScopes): Promise<string | undefined> {
  if (!clientId) return undefined;
  const client = await deps.clientCache.get(clientId);
  return client ? defaultScopeFor(client.scope, defaults) : undefined;
}

/**
 * A token for an API (`resource`) carries that API's scopes only, so its defaults are the API's
 * scopes (those the client may use, as for any default), not DJAM_DEFAULT_SCOPES. An unknown
 * API gets none: the provider answers invalid_target. Without any API configured the provider
 * ignores `resource` (resource-servers.ts), so the usual defaults apply.
 */
function defaultsFor(deps: Deps, params: URLSearchParams): readonly string[] {
  const resource = params.get('resource');
  const servers = deps.resourceServers ?? {};
  if (resource === null || !Object.keys(servers).length) return deps.defaultScopes;
  return findResourceServer(servers, resource)?.scopes ?? [];
}

/**
 * Rewrites the authorize URL with `scope` when it has none. A client that may use none of the
 * defaults is asked for them all, so the provider refuses the request with `invalid_scope` naming
 * one (#18), rather than ending it with a bare `access_denied`.
 */
export async function withDefaultAuthorizeScope(deps: Deps, request: FastifyRequest): Promise<void> {
  const url = new URL(request.raw.url!, 'http://x');
  if (url.searchParams.has('scope')) return;
  const clientId = url.searchParams.get('client_id') ?? undefined;
  const known = clientId !== undefined && (await deps.clientCache.get(clientId)) !== undefined;
  const scope = (await scopeForClient(deps, clientId)) ?? (known ? deps.defaultScopes.join(' ') : undefined);
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
  const scope = await scopeForClient(deps, params.get('client_id') ?? basicClientId(request.headers.authorization), defaultsFor(deps, params));
  if (!scope) return body;
  params.set('scope', scope);
  return params.toString();
}
