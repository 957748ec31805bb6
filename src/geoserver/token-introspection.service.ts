// docs/compatibility.md §4.4: GeoNode-style token introspection for GeoServer. The same checks as the standard
// endpoint (docs/compatibility.md §3.5: client id + secret, `token_introspection` and audience scopes, a live user
// token that came with an id_token), answered with the shape the original meant to send.
import { createHash, timingSafeEqual } from 'node:crypto';
import type Provider from 'oidc-provider';
import type { Db } from '../db/client.ts';
import { mayIntrospect } from '../oidc/index.ts';
import { findUser } from '../users/index.ts';

export interface IntrospectionRequest { clientId?: string; clientSecret?: string; token?: string }

export type GeoServerIntrospection =
  | { active: false; clientAuthFailed: boolean }
  | { active: true; body: Record<string, unknown> };

interface Deps { provider: Provider; db: Db }

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant time whatever the lengths: the secrets are compared as digests. */
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

async function authenticateClient(deps: Deps, req: IntrospectionRequest) {
  if (!req.clientId || !req.clientSecret) return undefined;
  const client = await deps.provider.Client.find(req.clientId);
  if (!client?.clientSecret || client.clientAuthMethod === 'none') return undefined;
  return sameSecret(req.clientSecret, client.clientSecret) ? client : undefined;
}

/**
 * A live access token of a user, issued with `openid` (so an id_token exists), grant intact, and
 * not sender-constrained: GeoServer forwards the bare token and cannot check a DPoP proof or a
 * client certificate, so a bound token is inactive here (a stolen one stays useless, RFC 9449 §7).
 */
async function findUserToken(deps: Deps, value: string | undefined) {
  if (!value || value.length > 4096) return undefined;
  const token = await deps.provider.AccessToken.find(value);
  if (!token?.isValid || !token.accountId || !token.scopes.has('openid')) return undefined;
  if (token.jkt || token['x5t#S256']) return undefined;
  const grant = token.grantId ? await deps.provider.Grant.find(token.grantId) : undefined;
  if (!grant || grant.clientId !== token.clientId || grant.accountId !== token.accountId) return undefined;
  return token;
}

export async function introspectForGeoServer(deps: Deps, req: IntrospectionRequest): Promise<GeoServerIntrospection> {
  const client = await authenticateClient(deps, req);
  if (!client) return { active: false, clientAuthFailed: true };
  const token = await findUserToken(deps, req.token);
  if (!token || !mayIntrospect(client, token.clientId)) return { active: false, clientAuthFailed: false };
  const user = await findUser(deps, Number(token.accountId));
  if (!user?.isActive) return { active: false, clientAuthFailed: false };
  // The original read `nickname` and `email` from the id_token; nickname is the username, and
  // the e-mail is there only when the token carries the `email` scope (null otherwise).
  const email = token.scopes.has('email') ? user.email : null;
  return {
    active: true,
    body: {
      client_id: client.clientId, username: user.username, issued_to: user.username, email,
      access_token: req.token, access_type: 'online', active: true,
    },
  };
}
