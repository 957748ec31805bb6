// The caller's identity for the upstream: a short-lived JWT signed with the server's current
// signing key (the ring's signer), verifiable with the public JWKS at /openid/jwks.
import { importJWK, SignJWT, type CryptoKey, type KeyObject } from 'jose';
import type { SigningJwk, SigningKeyRing } from '../signing-keys/index.ts';
import type { User } from '../users/index.ts';

const LIFETIME_SECONDS = 60;

export type IdentityUser = Pick<User, 'id' | 'email' | 'username' | 'isStaff' | 'isSuperuser'>;
export interface IdentitySigner {
  /** The kid that signs now: a reused token must come from the same key (#20). */
  keyId(): string;
  sign(user: IdentityUser, audience: string, teams: string[]): Promise<string>;
}

/** Signs with the ring's signer of the moment, so the identity JWT follows key rotation (#20). */
export function createIdentitySigner(issuer: string, ring: SigningKeyRing): IdentitySigner {
  const imported = new Map<string, Promise<CryptoKey | KeyObject>>(); // kid → key, imported once
  const keyOf = (jwk: SigningJwk) => {
    if (!imported.has(jwk.kid)) imported.set(jwk.kid, importJWK(jwk, jwk.alg) as Promise<CryptoKey | KeyObject>);
    return imported.get(jwk.kid)!;
  };
  ring.onChange((keys) => { for (const kid of imported.keys()) if (!keys.published.some((k) => k.kid === kid)) imported.delete(kid); });
  return {
    keyId: () => ring.current().signer.kid,
    async sign(user, audience, teams) {
      const jwk = ring.current().signer;
      return new SignJWT({
        email: user.email, username: user.username, groups: teams, is_staff: user.isStaff, is_admin: user.isSuperuser,
      }).setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: 'djam-identity+jwt' })
        .setIssuer(issuer).setSubject(String(user.id)).setAudience(audience)
        .setIssuedAt().setExpirationTime(`${LIFETIME_SECONDS}s`).sign(await keyOf(jwk));
    },
  };
}
