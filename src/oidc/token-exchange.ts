// RFC 8693 token exchange (#24), through the provider's grant-type extension point: a backend
// holding a user's access token (from its own users' sign-in) exchanges it for an access token
// meant for another API of DJAM_OIDC_RESOURCE_SERVERS, audience-restricted, speaking for the same
// user, with `act` naming the backend (RFC 8693 §4.1). Which client may exchange for which audience is the
// one authorization policy's `token.exchange` (src/access/policy.ts), over the audiences the
// client was registered for (`token_exchange_audiences`).
import { errors, type FindAccount, type KoaContextWithOIDC } from 'oidc-provider';
import type Provider from 'oidc-provider';
import ResourceServer from 'oidc-provider/lib/helpers/resource_server.js';
import { clientActor, may } from '../access/index.ts';
import { findResourceServer, type ResourceServers } from '../config-resource-servers.ts';
import { djamScopes } from './policies.ts';

const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const PARAMETERS = ['audience', 'resource', 'scope', 'requested_token_type', 'subject_token', 'subject_token_type', 'actor_token', 'actor_token_type'];

function audiencesOf(client: NonNullable<KoaContextWithOIDC['oidc']['client']>): string[] {
  const list = client.metadata()['urn:djam:token_exchange_audiences'];
  return Array.isArray(list) ? list.filter((a): a is string => typeof a === 'string') : [];
}

async function exchange(servers: ResourceServers, findAccount: FindAccount, ctx: KoaContextWithOIDC): Promise<void> {
  const { client, params } = ctx.oidc;
  const provider = ctx.oidc.provider;
  if (!client || !params) throw new errors.InvalidClient();
  const value = (name: string) => (typeof params[name] === 'string' ? params[name] as string : undefined);
  if (!value('subject_token')) throw new errors.InvalidRequest('missing required parameter: subject_token');
  if (value('subject_token_type') !== ACCESS_TOKEN_TYPE) throw new errors.InvalidRequest(`subject_token_type must be ${ACCESS_TOKEN_TYPE}`);
  if (value('requested_token_type') !== undefined && value('requested_token_type') !== ACCESS_TOKEN_TYPE) throw new errors.InvalidRequest(`requested_token_type must be ${ACCESS_TOKEN_TYPE}`);
  if (value('actor_token') !== undefined) throw new errors.InvalidRequest('actor_token is not supported: the authenticated client is the actor');
  const audience = value('audience') ?? value('resource');
  if (!audience) throw new errors.InvalidTarget('name the API the token is for (audience)');
  const server = findResourceServer(servers, audience);
  // The one policy: this client may exchange for this audience.
  if (!server || !may(clientActor(client.clientId), 'token.exchange', { audience: server.audience, allowedAudiences: audiencesOf(client) })) {
    throw new errors.InvalidTarget('the client may not exchange tokens for this audience');
  }
  const subject = await provider.AccessToken.find(value('subject_token')!);
  if (!subject?.isValid || !subject.accountId) throw new errors.InvalidGrant('subject token is invalid, expired, revoked or speaks for no user');
  if (!(await findAccount(ctx, subject.accountId))) throw new errors.InvalidGrant('subject token speaks for no active user');
  // The API's scopes the exchanging client may hold (as for a resource indicator), narrowed to those asked.
  const clientScopes = djamScopes(client);
  const asked = value('scope')?.split(' ').filter(Boolean);
  const scopes = server.scopes.filter((s) => clientScopes.has(s) && (!asked || asked.includes(s)));
  if (!scopes.length) throw new errors.InvalidScope('none of the requested scopes is allowed for this audience', value('scope') ?? '');
  const token = new provider.AccessToken({ accountId: subject.accountId, client, grantId: subject.grantId, gty: TOKEN_EXCHANGE_GRANT, scope: scopes.join(' ') });
  token.resourceServer = new ResourceServer(server.audience, {
    audience: server.audience, scope: scopes.join(' '), accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } },
    ...(server.ttl ? { accessTokenTTL: server.ttl } : {}),
  }) as never;
  ctx.oidc.entity('AccessToken', token);
  const accessToken = await token.save();
  ctx.body = {
    access_token: accessToken, issued_token_type: ACCESS_TOKEN_TYPE, token_type: 'Bearer',
    expires_in: token.expiration, scope: token.scope,
  };
}

type ExtraClaims = (ctx: KoaContextWithOIDC, token: { gty?: string; clientId?: string }) => Promise<Record<string, unknown> | undefined>;

/**
 * The provider's extraTokenClaims with RFC 8693 §4.1's `act` added to exchanged tokens: the
 * client that acts for the user (the provider sets a token's extra claims as it saves it).
 */
export function withDelegation(extra: (ctx: KoaContextWithOIDC) => Promise<Record<string, unknown> | undefined>): ExtraClaims {
  return async (ctx, token) => {
    const base = await extra(ctx);
    if (token.gty !== TOKEN_EXCHANGE_GRANT || !token.clientId) return base;
    return { ...base, act: { sub: token.clientId } };
  };
}

export function registerTokenExchange(provider: Provider, servers: ResourceServers, findAccount: FindAccount): void {
  if (!Object.keys(servers).length) return; // nothing to exchange for
  provider.registerGrantType(TOKEN_EXCHANGE_GRANT, (ctx: KoaContextWithOIDC) => exchange(servers, findAccount, ctx), PARAMETERS);
}
