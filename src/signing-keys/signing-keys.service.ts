// Keys that sign id_tokens, JWT access tokens and the proxy's identity JWTs. Private keys are
// stored sealed. A new key is published at once and signs only from its activation time (#20):
// the nodes compute who signs from the rows and the clock (signing-key-states.ts), and follow
// changes through the change feed (signing-key-ring.ts). Replaced keys stay published while
// tokens they signed may be presented, then are deleted, so keys never pile up (docs/compatibility.md §3.6).
import { createHash } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { exportJWK, exportPKCS8, generateKeyPair, type JWK } from 'jose';
import type { Config } from '../config.ts';
import { announceChange, type ChangeTopic } from '../db/change-feed.ts';
import type { Db } from '../db/client.ts';
import { signingKeys } from '../db/schema.ts';
import { seal, unseal, type SecretKeys } from '../crypto/keys.ts';
import { keyTimelines, signedTokenLifetimeSeconds, type KeyTimeline } from './signing-key-states.ts';

interface Deps { db: Db; keys: SecretKeys }
type LifetimeConfig = Parameters<typeof signedTokenLifetimeSeconds>[0];
export type SigningJwk = JWK & { kid: string; alg: string; use: 'sig' };
export type SigningKeyRow = typeof signingKeys.$inferSelect;

/** The change-feed topic of signing keys: every node reloads its key set when it hears it. */
export const SIGNING_KEY_TOPIC = 'signing-key' satisfies ChangeTopic;

/** When a key created now starts signing: after DJAM_SIGNING_KEY_ACTIVATION_DELAY_SECONDS, or at once. */
export function activationTime(config: Pick<Config, 'DJAM_SIGNING_KEY_ACTIVATION_DELAY_SECONDS'>, activateNow: boolean, now = new Date()): Date {
  const delayMs = activateNow ? 0 : Math.max(0, config.DJAM_SIGNING_KEY_ACTIVATION_DELAY_SECONDS) * 1000;
  return new Date(now.getTime() + delayMs);
}

/**
 * Creates an RSA-2048 key whose kid is the MD5 of its PEM, as the original's creatersakey. It is
 * published at once and signs from `activatesAt` (default: now). Call announceSigningKeys after
 * the transaction commits.
 */
export async function createRsaSigningKey(deps: Deps, activatesAt = new Date()): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const kid = createHash('md5').update(await exportPKCS8(privateKey)).digest('hex');
  const jwk: SigningJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  await deps.db.insert(signingKeys).values({ kid, alg: 'RS256', activatesAt, privateJwkSealed: seal(deps.keys, JSON.stringify(jwk)) });
  return kid;
}

/** Tells every node (this one included) to reload its keys. */
export async function announceSigningKeys(db: Db, kid: string): Promise<void> {
  await announceChange(db, SIGNING_KEY_TOPIC, kid);
}

/** Creates a key only when none exists, so restarts never pile keys up; the first key signs at once. */
export async function ensureSigningKey(deps: Deps): Promise<string | undefined> {
  const [any] = await deps.db.select({ id: signingKeys.id }).from(signingKeys).limit(1);
  return any ? undefined : createRsaSigningKey(deps);
}

/** Every stored key with its state at `now`, newest activation first. */
export async function listSigningKeys(deps: { db: Db; config: LifetimeConfig }, now = new Date()): Promise<Array<KeyTimeline<SigningKeyRow>>> {
  const rows = await deps.db.select().from(signingKeys);
  return keyTimelines(rows, now, signedTokenLifetimeSeconds(deps.config));
}

export function unsealSigningKey(keys: SecretKeys, row: SigningKeyRow): SigningJwk {
  return JSON.parse(unseal(keys, row.privateJwkSealed)) as SigningJwk;
}

/** Deletes the keys no node publishes any more (state retired); the sweep calls it. Returns their kids. */
export async function deleteRetiredSigningKeys(deps: { db: Db; config: LifetimeConfig }, now = new Date()): Promise<string[]> {
  const retired = (await listSigningKeys(deps, now)).filter((t) => t.state === 'retired').map((t) => t.key.kid);
  if (retired.length) await deps.db.delete(signingKeys).where(inArray(signingKeys.kid, retired));
  return retired;
}
