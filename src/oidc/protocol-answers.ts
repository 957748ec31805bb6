// Koa middleware inside the provider that makes its answers the ones strict clients and the
// original's clients expect, where oidc-provider has no setting for them (#18):
// - RFC 6749 §5.2: a grant type the client is not registered for is `unauthorized_client`
//   (the provider says `invalid_request`);
// - RFC 6749 §5.1, RFC 7662 §2.2, RFC 7009 §2.2: token, introspection and revocation answers
//   are never cached;
// - §3.3/§3.5 of the original: `token_type` is `bearer` at /openid/token and in introspection
//   (clients compare the string), while the tutorial's /o/token/ keeps `Bearer`; introspection
//   of an access token names its audience, the client id, as the original's did.
import type { KoaContextWithOIDC } from 'oidc-provider';

const NO_STORE_ROUTES = new Set(['token', 'introspection', 'revocation']);
const GRANT_TYPE_NOT_ALLOWED = 'requested grant type is not allowed for this client';

type Body = Record<string, unknown>;

function isBody(body: unknown): body is Body {
  return typeof body === 'object' && body !== null && !Buffer.isBuffer(body);
}

/** The tutorial's /o/ surface reaches the provider rewritten; the URL the client called is kept. */
function viaTutorialSurface(ctx: KoaContextWithOIDC): boolean {
  const called = (ctx.req as { originalUrl?: string }).originalUrl ?? '';
  return called.startsWith('/o/');
}

function tokenAnswer(ctx: KoaContextWithOIDC, body: Body): Body {
  if (body.error === 'invalid_request' && body.error_description === GRANT_TYPE_NOT_ALLOWED) return { ...body, error: 'unauthorized_client' };
  if (body.token_type === 'Bearer' && !viaTutorialSurface(ctx)) return { ...body, token_type: 'bearer' };
  return body;
}

function introspectionAnswer(body: Body): Body {
  if (body.active !== true || body.token_type !== 'Bearer') return body;
  return { ...body, token_type: 'bearer', aud: body.aud ?? body.client_id };
}

export function protocolAnswers() {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    const route = ctx.oidc?.route;
    if (!route || !NO_STORE_ROUTES.has(route)) return;
    ctx.set('Cache-Control', 'no-store');
    if (!isBody(ctx.body)) return;
    if (route === 'token') ctx.body = tokenAnswer(ctx, ctx.body);
    else if (route === 'introspection') ctx.body = introspectionAnswer(ctx.body);
  };
}
