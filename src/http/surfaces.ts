// Which error shape a path's clients read (docs/compatibility.md §0.2): the OAuth back-channel
// endpoints answer RFC 6749 §5.2 JSON, the original's DRF views `{"detail": …}`, the rest DJAM's
// `{ error, message }`. Used where an answer is made before (or without) a route: a target that
// cannot be decoded, a path no route matches.
export type ErrorSurface = 'oauth' | 'drf' | 'djam';

const OAUTH_ENDPOINT = /^\/(openid\/(token|introspect|revoke|request|userinfo)|o\/(token|revoke_token|introspect))(\/|\?|$)/;
const DRF_VIEW = /^\/(openid\/(authkey|credentials)\/introspect\/|openid\/introspect\/geoserver\/|openid\/api\/token\/|api\/privilege\/|public_api\/users\/)/;

export function errorSurfaceOf(url: string): ErrorSurface {
  // DRF first: /openid/introspect/geoserver/ lies under the OAuth introspection endpoint's path.
  if (DRF_VIEW.test(url)) return 'drf';
  if (OAUTH_ENDPOINT.test(url)) return 'oauth';
  return 'djam';
}
