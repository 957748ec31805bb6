// Signing an RS256 identity token costs ~1 ms of CPU; a token is valid 60 s, so each
// (user, upstream) pair reuses one for 30 s instead of signing on every proxied request. The
// reuse lives in the app's one cache primitive, so it is bounded and emptied with every other
// cache when the change feed is lost.
import { createCache, type CacheRegistry } from '../cache/index.ts';
import type { IdentitySigner, IdentityUser } from './identity-token.ts';

export function cachedSigner(signer: IdentitySigner, registry: CacheRegistry): IdentitySigner {
  const tokens = createCache<string, string>(registry, {
    name: 'proxy-identity', ttlMs: 30_000, maxEntries: 10_000,
    // Every claim the token carries is in the key, and the signing kid (below): a changed user or
    // a new signing key (#20) gets a fresh token at once, so no change topic needs to drop one.
    dropOn: {},
  });
  return {
    keyId: () => signer.keyId(),
    sign(user: IdentityUser, audience: string, teams: string[]) {
      const key = JSON.stringify([user.id, audience, teams, user.email, user.username, user.isStaff, user.isSuperuser, signer.keyId()]);
      return tokens.get(key, () => signer.sign(user, audience, teams)) as Promise<string>;
    },
  };
}
