// Koa middleware inside the provider that keeps DJAM's contract around the protocol:
// - §3.3: the code issued during a browser session is remembered on that session, and the code
//   exchange answers with `session_token` (the session's uuid) beside the tokens;
// - RP-initiated logout also ends the DJAM browser session;
// - §3.5: a failed introspection (bad client credentials, missing token…) is a plain
//   `200 {"active": false}`, as the original answered, not the provider's OAuth error.
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { deleteSession, findSessionUuidByCode, recordSessionCode } from '../users/index.ts';
import { SESSION_COOKIE } from '../http/cookies.ts';

interface Deps { db: Db; keys: SecretKeys }

function issuedCode(ctx: KoaContextWithOIDC): string | undefined {
  if (ctx.status < 300 || ctx.status >= 400) return undefined;
  return URL.parse(ctx.response.get('location'))?.searchParams.get('code') ?? undefined;
}

async function rememberCode(deps: Deps, ctx: KoaContextWithOIDC): Promise<void> {
  const code = issuedCode(ctx);
  const session = ctx.cookies.get(SESSION_COOKIE, { signed: false });
  if (code && session) await recordSessionCode(deps, session, code);
}

async function addSessionToken(deps: Deps, ctx: KoaContextWithOIDC): Promise<void> {
  const body = ctx.body as Record<string, unknown> | undefined;
  const code = ctx.oidc.params?.code;
  if (!body || typeof body !== 'object' || typeof code !== 'string') return;
  const uuid = await findSessionUuidByCode(deps, code);
  if (uuid) ctx.body = { ...body, session_token: uuid };
}

async function endBrowserSession(deps: Deps, ctx: KoaContextWithOIDC): Promise<void> {
  const session = ctx.cookies.get(SESSION_COOKIE, { signed: false });
  if (!session) return;
  await deleteSession(deps, session);
  ctx.cookies.set(SESSION_COOKIE, null, { path: '/', signed: false });
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

export function djamBridge(deps: Deps) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    const route = ctx.oidc?.route;
    if (route === 'authorization' || route === 'resume') await rememberCode(deps, ctx);
    else if (route === 'token' && ctx.status === 200 && ctx.oidc.params?.grant_type === 'authorization_code') await addSessionToken(deps, ctx);
    else if (route === 'introspection') inactiveOnFailure(ctx);
    else if (route === 'end_session_confirm' && ctx.oidc.params?.logout && ctx.status < 400) await endBrowserSession(deps, ctx);
  };
}
