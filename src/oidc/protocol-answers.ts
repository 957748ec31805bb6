// Koa middleware inside the provider that makes its answers the ones strict clients and the
// original's clients expect, where oidc-provider has no setting for them (#18):
// - RFC 6749 §5.2: a grant type the client is not registered for is `unauthorized_client`
//   (the provider says `invalid_request`);
// - RFC 6749 §5.1, RFC 7662 §2.2, RFC 7009 §2.2: token, introspection and revocation answers
//   are never cached;
// - RFC 6749 §4.1.2.1, §5.2: every error, JSON or redirect, carries an `error_description`;
// - RFC 6749 §3.3: a refused scope is named in the description, and a client-credentials token
//   request none of whose scopes is known is refused rather than answered with a scope-less token;
// - docs/compatibility.md §3.3, §3.5 (the original's answers): `token_type` is `bearer` at
//   /openid/token and in introspection (clients compare the string), while the tutorial's
//   /o/token/ keeps `Bearer`; introspection of an access token names its audience, the client
//   id, as the original's did.
import type { KoaContextWithOIDC } from 'oidc-provider';

const NO_STORE_ROUTES = new Set(['token', 'introspection', 'revocation', 'device_authorization', 'pushed_authorization_request']);
const SCOPE_NOT_ALLOWED = 'requested scope is not allowed';
const GRANT_TYPE_NOT_ALLOWED = 'requested grant type is not allowed for this client';

type Body = Record<string, unknown>;

function isBody(body: unknown): body is Body {
  return typeof body === 'object' && body !== null && !Buffer.isBuffer(body);
}

/** The tutorial's /o/ surface reaches the provider rewritten; the mount keeps the URL the client called. */
function viaTutorialSurface(ctx: KoaContextWithOIDC): boolean {
  const called = (ctx.req as { calledUrl?: string }).calledUrl ?? '';
  return called.startsWith('/o/');
}

/** The provider names the refused scope in a `scope` member only; strict clients read the description. */
function namingRefusedScope(body: Body): Body {
  if (body.error !== 'invalid_scope' || typeof body.scope !== 'string' || body.error_description !== SCOPE_NOT_ALLOWED) return body;
  return { ...body, error_description: `${SCOPE_NOT_ALLOWED}: ${body.scope}` };
}

/** Errors the provider raises without a description here (RFC 6749 §4.1.2.1, §5.2: strict clients expect one). */
const DESCRIPTIONS: Record<string, string> = {
  request_not_supported: 'the request parameter is not supported',
  request_uri_not_supported: 'the request_uri parameter is not supported',
  access_denied: 'the request was denied',
};

function described(body: Body): Body {
  if (typeof body.error !== 'string' || typeof body.error_description === 'string') return namingRefusedScope(body);
  return { ...body, error_description: DESCRIPTIONS[body.error] ?? `the request was refused: ${body.error}` };
}

/** An authorization error redirect (query or fragment) gets its description completed. */
function describeErrorRedirect(ctx: KoaContextWithOIDC): void {
  const location = URL.parse(ctx.response.get('Location'));
  if (!location) return;
  const inFragment = location.hash.length > 1;
  const params = new URLSearchParams(inFragment ? location.hash.slice(1) : location.search);
  if (!params.has('error')) return;
  const { error_description: description } = described(Object.fromEntries(params));
  if (typeof description !== 'string' || description === params.get('error_description')) return;
  params.set('error_description', description);
  if (inFragment) location.hash = params.toString();
  else location.search = params.toString();
  ctx.set('Location', location.href);
}

/** A client-credentials token whose requested scopes are all unknown is not issued (it is still only buffered). */
async function refuseScopelessToken(ctx: KoaContextWithOIDC): Promise<void> {
  const token = ctx.oidc.entities.ClientCredentials;
  // The provider has dropped the scopes it does not know from `params` by now; the body keeps them.
  const asked = ctx.oidc.body?.scope;
  if (ctx.status !== 200 || !token || token.scope || typeof asked !== 'string' || !asked.trim()) return;
  await token.destroy();
  ctx.status = 400;
  ctx.body = { error: 'invalid_scope', error_description: `none of the requested scopes is known: ${asked}` };
}

function tokenAnswer(ctx: KoaContextWithOIDC, body: Body): Body {
  if (body.error === 'invalid_request' && body.error_description === GRANT_TYPE_NOT_ALLOWED) return { ...body, error: 'unauthorized_client' };
  if (body.token_type === 'Bearer' && !viaTutorialSurface(ctx)) return { ...body, token_type: 'bearer' };
  return body;
}

/** RFC 8628 §3.2 (errors of RFC 6749 §5.2): a client not registered for the device grant is `unauthorized_client`. */
function deviceAuthorizationAnswer(body: Body): Body {
  const notAllowed = body.error === 'invalid_request' && typeof body.error_description === 'string' && body.error_description.endsWith('is not allowed for this client');
  return notAllowed ? { ...body, error: 'unauthorized_client' } : body;
}

function introspectionAnswer(body: Body): Body {
  if (body.active !== true || body.token_type !== 'Bearer') return body;
  return { ...body, token_type: 'bearer', aud: body.aud ?? body.client_id };
}

export function protocolAnswers() {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    const route = ctx.oidc?.route;
    if (route === 'authorization' || route === 'resume') describeErrorRedirect(ctx);
    if (isBody(ctx.body) && typeof ctx.body.error === 'string') ctx.body = described(ctx.body);
    if (!route || !NO_STORE_ROUTES.has(route)) return;
    ctx.set('Cache-Control', 'no-store');
    if (route === 'token') await refuseScopelessToken(ctx);
    if (!isBody(ctx.body)) return;
    if (route === 'token') ctx.body = tokenAnswer(ctx, ctx.body);
    else if (route === 'device_authorization') ctx.body = deviceAuthorizationAnswer(ctx.body);
    else if (route === 'introspection') ctx.body = introspectionAnswer(ctx.body);
  };
}
