// #21 token.refresh_reused: refresh tokens rotate (provider.ts), and the provider answers a
// consumed one with invalid_grant "refresh token already used", revoking the whole grant (the OAuth
// 2.0 Security BCP, RFC 9700 §4.14: a stolen token and its thief's copy cannot both live). Its `grant.error`
// event names the failure but cannot be awaited, so it only marks the request; the middleware
// records the event once the token endpoint is done, before the answer leaves. Never a token
// value: the client, the user and the grant's fate.
import type Provider from 'oidc-provider';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { clientActor } from '../access/index.ts';
import type { Db } from '../db/client.ts';
import { recordEvent } from '../events/index.ts';

export function recordRefreshReuse(provider: Provider, db: Db): void {
  const reused = new WeakSet<object>();
  provider.on('grant.error', (ctx: KoaContextWithOIDC, err: unknown) => {
    if (err instanceof errors.InvalidGrant && err.error_detail === 'refresh token already used') reused.add(ctx);
  });
  provider.use(async (ctx, next) => {
    await next();
    if (!reused.has(ctx)) return;
    const token = (ctx as KoaContextWithOIDC).oidc?.entities.RefreshToken;
    const clientId = token?.clientId ?? (ctx as KoaContextWithOIDC).oidc?.client?.clientId ?? '-';
    const userId = token?.accountId && /^\d+$/.test(token.accountId) ? Number(token.accountId) : null;
    await recordEvent(db, clientActor(clientId), {
      type: 'token.refresh_reused', outcome: 'failure', subject: userId === null ? `client:${clientId}` : `user:${userId}`, userId, clientId,
      changes: { grant_type: 'refresh_token', grant_revoked: true },
    });
  });
}
