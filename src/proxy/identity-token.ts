// The caller's identity for the upstream: a short-lived JWT signed with the server's current
// signing key, verifiable with the public JWKS at /openid/jwks.
import { importJWK, SignJWT, type CryptoKey, type KeyObject } from 'jose';
import type { SigningJwk } from '../signing-keys/index.ts';
import type { User } from '../users/index.ts';

export const IDENTITY_HEADER = 'x-djam-identity';
const LIFETIME_SECONDS = 60;

export type IdentityUser = Pick<User, 'id' | 'email' | 'username' | 'isStaff' | 'isSuperuser'>;
export interface IdentitySigner { sign(user: IdentityUser, audience: string, teams: string[]): Promise<string> }

export async function createIdentitySigner(issuer: string, jwk: SigningJwk): Promise<IdentitySigner> {
  const key = (await importJWK(jwk, jwk.alg)) as CryptoKey | KeyObject;
  return {
    sign: (user, audience, teams) => new SignJWT({
      email: user.email, username: user.username, groups: teams, is_staff: user.isStaff, is_admin: user.isSuperuser,
    }).setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: 'djam-identity+jwt' })
      .setIssuer(issuer).setSubject(String(user.id)).setAudience(audience)
      .setIssuedAt().setExpirationTime(`${LIFETIME_SECONDS}s`).sign(key),
  };
}
