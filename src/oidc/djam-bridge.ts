// Koa middleware inside the provider that keeps DJAM's contract around the protocol:
// - docs/compatibility.md §3.3: the code exchange answers with `session_token`, the uuid of the browser session the
//   code was issued in (the adapter stores it with the code; see request-context.ts);
// - RP-initiated logout also ends the DJAM browser session;
// - #24: the device pages (RFC 8628) are signed in by the DJAM browser session, as the authorize
//   endpoint is (mount.ts does it there);
// - docs/compatibility.md §3.5: a failed introspection (bad client credentials, missing token…) is a plain
//   `200 {"active": false}`, as the original answered, not the provider's OAuth error.
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { deleteSession, findSession } from '../users/index.ts';
import { requestContext } from './request-context.ts';
import { setRequestUser } from './request-user.ts';
import { AlreadyConsumed, flushWrites } from './write-buffer.ts';
import type { PayloadCache } from './payload-cache.ts';
import { SESSION_COOKIE } from '../http/cookies.ts';

interface Deps { db: Db; keys: SecretKeys; payloadCache: PayloadCache }

function addSessionToken(ctx: KoaContextWithOIDC): void {
  const body = ctx.body as Record<string, unknown> | undefined;
  const uuid = requestContext()?.codeSessionUuid;
  if (body && typeof body === 'object' && uuid) ctx.body = { ...body, session_token: uuid };
}

async function endBrowserSession(deps: Deps, ctx: KoaContextWithOIDC): Promise<void> {
  const session = ctx.cookies.get(SESSION_COOKIE, { signed: false });
  if (!session) return;
  await deleteSession(deps, session);
  ctx.cookies.set(SESSION_COOKIE, null, { path: '/', signed: false });
}

/** The device pages (/device, /device/<uid> on resume; not the device's own /device/auth) know the DJAM user. */
const DEVICE_PAGE = /^\/device(?!\/auth)(\/|$)/;

async function adoptBrowserSession(deps: Deps, ctx: KoaContextWithOIDC): Promise<void> {
  const token = ctx.cookies.get(SESSION_COOKIE, { signed: false });
  const session = token ? await findSession(deps, token) : undefined;
  if (!session) return;
  setRequestUser(ctx.req, String(session.user.id));
  const context = requestContext();
  if (context) Object.assign(context, { user: session.user, sessionUuid: session.uuid, signedInAt: session.signedInAt });
}

/** The provider answers client-authentication and request errors; DJAM's callers expect "inactive". */
function inactiveOnFailure(ctx: KoaContextWithOIDC): void {
  if (ctx.status < 400 || ctx.status >= 500) return;
  ctx.status = 200;
  ctx.remove('WWW-Authenticate');
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
  ctx.body = { active: false };
}

/**
 * A code (or rotated refresh token) another request consumed meanwhile: as for a replayed code
 * (RFC 6749 §4.1.2), the tokens already issued from its grant are revoked and the client is
 * answered as the provider answers a replay.
 */
async function answerReplay(deps: Deps, ctx: KoaContextWithOIDC, grantIds: string[]): Promise<void> {
  const { provider } = ctx.oidc;
  for (const grantId of grantIds) {
    await Promise.all([provider.AccessToken, provider.RefreshToken, provider.AuthorizationCode].map((model) => model.revokeByGrantId(grantId)));
    await provider.Grant.adapter.destroy(grantId);
  }
  await flushWrites(deps.db, deps.payloadCache);
  ctx.status = 400;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { error: 'invalid_grant', error_description: 'grant request is invalid' };
}

/** Before the response leaves: a code or token is stored when the client gets it. */
async function storeWrites(deps: Deps, ctx: KoaContextWithOIDC): Promise<void> {
  try {
    await flushWrites(deps.db, deps.payloadCache);
  } catch (err) {
    if (!(err instanceof AlreadyConsumed)) throw err;
    await answerReplay(deps, ctx, err.grantIds);
  }
}

// Endpoints a client calls without a browser: their errors are RFC 6749 §5.2 JSON whatever the
// Accept header says (the provider renders its HTML error page for `Accept: text/html`).
const BACK_CHANNEL = /^\/(token|introspect|revoke|request|userinfo|par|device\/auth|register(\/[^/]+)?)\/?$/;

export function djamBridge(deps: Deps) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    if (BACK_CHANNEL.test(ctx.path)) ctx.request.headers.accept = 'application/json';
    else if (DEVICE_PAGE.test(ctx.path)) await adoptBrowserSession(deps, ctx);
    await next();
    await storeWrites(deps, ctx);
    const route = ctx.oidc?.route;
    if (route === 'token' && ctx.status === 200 && ctx.oidc.params?.grant_type === 'authorization_code') addSessionToken(ctx);
    else if (route === 'introspection') inactiveOnFailure(ctx);
    else if (route === 'end_session_confirm' && ctx.oidc.params?.logout && ctx.status < 400) await endBrowserSession(deps, ctx);
  };
}
