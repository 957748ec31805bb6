// Passkeys (WebAuthn, #22) with @simplewebauthn/server: discoverable credentials with user
// verification, so a passkey can sign in alone (first factor) or be the second step. The relying
// party is SITEURL's host and origin. Challenges travel in a sealed cookie (sign-in.ts), not in
// the database; each is bound to its purpose and user and expires with the cookie.
import {
  generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse,
  type AuthenticationResponseJSON, type AuthenticatorTransport, type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { and, eq } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { mfaFactors } from '../db/schema.ts';
import { assertMay, audited, type Actor, type UserTarget } from '../access/index.ts';
import { AppError } from '../errors.ts';
import type { User } from '../users/index.ts';

const relyingParty = (config: Pick<Config, 'baseUrl'>) => {
  const url = new URL(config.baseUrl);
  return { rpID: url.hostname, origin: url.origin };
};

async function passkeysOf(db: Db, userId: number) {
  return db.select({ credentialId: mfaFactors.credentialId, transports: mfaFactors.transports }).from(mfaFactors)
    .where(and(eq(mfaFactors.userId, userId), eq(mfaFactors.kind, 'passkey')));
}

const asTransports = (list: string[] | null) => (list ?? []) as AuthenticatorTransport[];

export async function passkeyRegistrationOptions(deps: { config: Config; db: Db }, user: User) {
  const existing = await passkeysOf(deps.db, user.id);
  return generateRegistrationOptions({
    rpName: 'DJAM', rpID: relyingParty(deps.config).rpID, userName: user.email, userDisplayName: [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email,
    userID: new TextEncoder().encode(user.uuid), attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId!, transports: asTransports(p.transports) })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
}

/** Stores the passkey the browser made for `challenge`; its factor id. */
export async function addPasskey(deps: { config: Config; db: Db }, actor: Actor, user: UserTarget & { id: number }, response: RegistrationResponseJSON, challenge: string, name: string): Promise<number> {
  assertMay(actor, 'mfa.manage', user);
  const { rpID, origin } = relyingParty(deps.config);
  const result = await verifyRegistrationResponse({ response, expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpID, requireUserVerification: true })
    .catch((cause: unknown) => { throw new AppError('MFA_PASSKEY_FAILED', { cause }); });
  if (!result.verified) throw new AppError('MFA_PASSKEY_FAILED');
  const { credential } = result.registrationInfo;
  return audited(deps.db, actor, async (tx) => {
    const [row] = await tx.insert(mfaFactors).values({
      userId: user.id, kind: 'passkey', name, credentialId: credential.id, publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      signCount: credential.counter, transports: credential.transports ?? [],
    }).returning({ id: mfaFactors.id });
    return { action: 'mfa.enrolled', entityType: 'user', entityId: user.id, after: { factorId: row.id, kind: 'passkey', name }, result: row.id };
  });
}

/** Options of a passkey sign-in: any discoverable passkey (first factor), or one of this user's (second step). */
export async function passkeySignInOptions(deps: { config: Config; db: Db }, userId?: number) {
  const allow = userId === undefined ? undefined : (await passkeysOf(deps.db, userId)).map((p) => ({ id: p.credentialId!, transports: asTransports(p.transports) }));
  return generateAuthenticationOptions({ rpID: relyingParty(deps.config).rpID, userVerification: 'required', allowCredentials: allow });
}

/**
 * Checks a passkey's signature over `challenge`: the user it belongs to and the RFC 8176 method
 * (`hwk` for a key bound to one device, `swk` for a synced one). MFA_PASSKEY_FAILED otherwise.
 */
export async function usePasskey(deps: { config: Config; db: Db }, response: AuthenticationResponseJSON, challenge: string): Promise<{ userId: number; method: 'hwk' | 'swk' }> {
  const [factor] = typeof response?.id === 'string'
    ? await deps.db.select().from(mfaFactors).where(and(eq(mfaFactors.credentialId, response.id), eq(mfaFactors.kind, 'passkey'))).limit(1)
    : [];
  if (!factor?.publicKey) throw new AppError('MFA_PASSKEY_FAILED');
  const { rpID, origin } = relyingParty(deps.config);
  const result = await verifyAuthenticationResponse({
    response, expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpID, requireUserVerification: true,
    credential: { id: factor.credentialId!, publicKey: new Uint8Array(Buffer.from(factor.publicKey, 'base64url')), counter: factor.signCount ?? 0, transports: asTransports(factor.transports) },
  }).catch((cause: unknown) => { throw new AppError('MFA_PASSKEY_FAILED', { cause }); });
  if (!result.verified) throw new AppError('MFA_PASSKEY_FAILED');
  await deps.db.update(mfaFactors).set({ signCount: result.authenticationInfo.newCounter, lastUsedAt: new Date() }).where(eq(mfaFactors.id, factor.id));
  return { userId: factor.userId, method: result.authenticationInfo.credentialDeviceType === 'multiDevice' ? 'swk' : 'hwk' };
}
