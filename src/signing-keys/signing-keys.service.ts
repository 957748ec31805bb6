// Keys that sign id_tokens (and JWT access tokens). Private keys are stored sealed. The newest
// unretired key signs; every stored key stays published in the JWKS so tokens it signed keep
// verifying until an operator removes it (DJAM §3.6).
import { createHash } from 'node:crypto';
import { asc, desc, isNull } from 'drizzle-orm';
import { exportJWK, exportPKCS8, generateKeyPair, type JWK } from 'jose';
import type { Db } from '../db/client.ts';
import { signingKeys } from '../db/schema.ts';
import { seal, unseal, type SecretKeys } from '../crypto/keys.ts';

interface Deps { db: Db; keys: SecretKeys }
export type SigningJwk = JWK & { kid: string; alg: string; use: 'sig' };

/** Creates an RSA-2048 key whose kid is the MD5 of its PEM, as the original's creatersakey. */
export async function createRsaSigningKey(deps: Deps): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const kid = createHash('md5').update(await exportPKCS8(privateKey)).digest('hex');
  const jwk: SigningJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  await deps.db.transaction(async (tx) => {
    // The new key takes over signing; older ones remain published for verification.
    await tx.update(signingKeys).set({ retiredAt: new Date() }).where(isNull(signingKeys.retiredAt));
    await tx.insert(signingKeys).values({ kid, alg: 'RS256', privateJwkSealed: seal(deps.keys, JSON.stringify(jwk)) });
  });
  return kid;
}

/** Creates a key only when none exists, so restarts never pile keys up. Returns the new kid, if any. */
export async function ensureSigningKey(deps: Deps): Promise<string | undefined> {
  const [any] = await deps.db.select({ id: signingKeys.id }).from(signingKeys).limit(1);
  return any ? undefined : createRsaSigningKey(deps);
}

/** Private JWKs for the provider: the signing key first, then the retired ones (newest first). */
export async function loadSigningJwks(deps: Deps): Promise<SigningJwk[]> {
  const rows = await deps.db.select().from(signingKeys)
    .orderBy(asc(signingKeys.retiredAt), desc(signingKeys.createdAt), desc(signingKeys.id));
  const active = rows.filter((r) => r.retiredAt === null);
  const retired = rows.filter((r) => r.retiredAt !== null);
  return [...active, ...retired].map((r) => JSON.parse(unseal(deps.keys, r.privateJwkSealed)) as SigningJwk);
}

export async function listSigningKeys(deps: { db: Db }) {
  return deps.db.select({ kid: signingKeys.kid, alg: signingKeys.alg, createdAt: signingKeys.createdAt, retiredAt: signingKeys.retiredAt })
    .from(signingKeys).orderBy(desc(signingKeys.id));
}
