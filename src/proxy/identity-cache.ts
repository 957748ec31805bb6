// Signing an RS256 identity token costs ~1 ms of CPU; a token is valid 60 s, so each
// (user, upstream) pair reuses one for 30 s instead of signing on every proxied request.
import type { IdentitySigner, IdentityUser } from './identity-token.ts';

const REUSE_MS = 30_000;
const MAX_ENTRIES = 10_000;

export function cachedSigner(signer: IdentitySigner): IdentitySigner {
  const cache = new Map<string, { token: string; expiresMs: number }>();
  return {
    keyId: () => signer.keyId(),
    async sign(user: IdentityUser, audience: string, teams: string[]) {
      // Every claim the token carries is in the key, and the signing kid: a changed user, or a new
      // signing key (#20), gets a fresh token at once.
      const key = JSON.stringify([user.id, audience, teams, user.email, user.username, user.isStaff, user.isSuperuser, signer.keyId()]);
      const hit = cache.get(key);
      if (hit && hit.expiresMs > Date.now()) return hit.token;
      const token = await signer.sign(user, audience, teams);
      if (cache.size >= MAX_ENTRIES) cache.clear();
      cache.set(key, { token, expiresMs: Date.now() + REUSE_MS });
      return token;
    },
  };
}
