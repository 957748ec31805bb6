// Which access tokens the proxy takes as a Bearer credential (#17 item 2). Any token of this
// server would let an application a user signed in to replay that user's token here; so only a
// token meant for the proxy counts:
// - an opaque (looked-up, revocable) token granted the `proxy` scope, the user's consent to "use
//   the services DJAM protects"; or
// - a JWT access token (RFC 8707 resource indicator, RFC 9068) whose audience is the proxy
//   (`<SITEURL>service/`) or this service (`<SITEURL>service/<slug>/`), declared as APIs in
//   DJAM_OIDC_RESOURCE_SERVERS. A token with an audience is for that audience only: a JWT for
//   another API is refused whatever its scope, as that API could replay it.
// Either way the token must speak for a user: a client's own (client_credentials) token does not.
// A DPoP-bound token (#24, RFC 9449) counts only with its proof (oidc/sender-constraint.ts).
import { createLocalJWKSet, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type Provider from 'oidc-provider';
import type { KeySet, SigningJwk, SigningKeyRing } from '../signing-keys/index.ts';
import { senderConstraintHolds, type PresentedToken, type ProofContext } from '../oidc/index.ts';

// Registered with its consent label in src/oidc/scopes.ts.
const PROXY_SCOPE = 'proxy';

export interface BearerCheck {
  /** The id of the user the token speaks for at /service/<slug>; undefined when it is not meant for it. */
  userIdOf(presented: PresentedToken, slug: string, at: ProofContext): Promise<number | undefined>;
}

interface BearerDeps { provider: Provider; issuer: string; baseUrl: string; signingKeys: SigningKeyRing }

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;
const DECIMAL_ID = /^[1-9]\d{0,15}$/;

function publicJwk(jwk: SigningJwk): JWK {
  const copy: JWK = { ...jwk };
  for (const member of PRIVATE_MEMBERS) delete copy[member];
  return copy;
}

/** An absolute URI without its trailing slash, so that `…/service/up` and `…/service/up/` name one resource. */
function normalisedUri(uri: string): string | undefined {
  return URL.parse(uri)?.href.replace(/\/$/, '');
}

function namesProxy(baseUrl: string, audience: string | string[] | undefined, slug: string): boolean {
  const proxy = normalisedUri(`${baseUrl}/service/`);
  const service = normalisedUri(`${baseUrl}/service/${slug}/`);
  const audiences = typeof audience === 'string' ? [audience] : audience ?? [];
  return audiences.some((a) => {
    const uri = normalisedUri(a);
    return uri !== undefined && (uri === proxy || uri === service);
  });
}

function userIdFrom(accountId: unknown): number | undefined {
  return typeof accountId === 'string' && DECIMAL_ID.test(accountId) ? Number(accountId) : undefined;
}

export function createBearerCheck(deps: BearerDeps): BearerCheck {
  // The published keys of the moment (#20): rebuilt when the ring hands over another key set.
  let keySet = createLocalJWKSet({ keys: deps.signingKeys.current().published.map(publicJwk) });
  deps.signingKeys.onChange((keys: KeySet) => { keySet = createLocalJWKSet({ keys: keys.published.map(publicJwk) }); });

  async function fromOpaque(presented: PresentedToken, slug: string, at: ProofContext): Promise<number | undefined> {
    const found = await deps.provider.AccessToken.find(presented.token);
    if (!found || found.isExpired || !found.accountId) return undefined;
    if (!(await senderConstraintHolds(presented, found.jkt, at))) return undefined;
    const meant = found.aud === undefined ? found.scopes.has(PROXY_SCOPE) : namesProxy(deps.baseUrl, found.aud, slug);
    return meant ? userIdFrom(found.accountId) : undefined;
  }

  async function fromJwt(presented: PresentedToken, slug: string, at: ProofContext): Promise<number | undefined> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(presented.token, keySet, { issuer: deps.issuer, typ: 'at+jwt', algorithms: ['RS256'] }));
    } catch {
      return undefined; // forged, expired, of another issuer, or no JWT at all
    }
    if (!namesProxy(deps.baseUrl, payload.aud, slug)) return undefined;
    if (!(await senderConstraintHolds(presented, (payload.cnf as { jkt?: unknown } | undefined)?.jkt, at))) return undefined;
    // A client's own token carries its client id as `sub` (RFC 9068 §2.2): never a user.
    return payload.sub === payload.client_id ? undefined : userIdFrom(payload.sub);
  }

  return {
    // The provider's opaque tokens hold no dot; a JWT always has two.
    userIdOf: (presented, slug, at) => (presented.token.includes('.') ? fromJwt(presented, slug, at) : fromOpaque(presented, slug, at)),
  };
}
