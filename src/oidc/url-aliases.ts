// Every spelling DJAM clients use for a provider endpoint, mapped to the one the provider
// serves: trailing slashes (docs/compatibility.md §3.2), the tutorial's /o/ surface, the stateless authorize variant
// (whose empty `state` the provider drops by itself, docs/compatibility.md §3.3) and the root discovery document.
const ALIASES: Array<[RegExp, string]> = [
  [/^\/o\/authorize\/?(?=\?|$)/, '/openid/authorize'],
  [/^\/o\/token\/?(?=\?|$)/, '/openid/token'],
  [/^\/o\/revoke_token\/?(?=\?|$)/, '/openid/revoke'],
  [/^\/o\/introspect\/?(?=\?|$)/, '/openid/introspect'],
  [/^\/openid\/authorize\/stateless\/?(?=\?|$)/, '/openid/authorize'],
  [/^\/openid\/(authorize|token|userinfo|end-session|introspect|revoke|jwks|\.well-known\/openid-configuration)\/(?=\?|$)/, '/openid/$1'],
  [/^\/\.well-known\/openid-configuration(?=\?|$)/, '/openid/.well-known/openid-configuration'],
  // RFC 8414 §3: an issuer with a path (…/openid) publishes its metadata at the well-known
  // prefix followed by that path; OIDC discovery already holds every RFC 8414 field.
  [/^\/\.well-known\/oauth-authorization-server\/openid(?=\?|$)/, '/openid/.well-known/openid-configuration'],
];

export function rewriteProviderUrl(url: string): string {
  for (const [pattern, target] of ALIASES) {
    if (pattern.test(url)) return url.replace(pattern, target);
  }
  return url;
}
