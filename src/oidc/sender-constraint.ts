// RFC 9449 at DJAM's own resource doors (#24): the proxy, the admin API, /resource. The provider
// binds a DPoP client's access tokens to its key (`jkt`; `cnf.jkt` in a JWT access token) and
// checks proofs at its own endpoints (token, userinfo); a resource server checks them itself
// (RFC 9449 §7). A bound token counts only as `Authorization: DPoP <token>` with a `DPoP` proof signed by
// that key, for this method and URL, fresh, naming this token (`ath`), and never seen before
// (`jti`, remembered by this node for the proof's lifetime). A bound token presented as a plain
// Bearer, or with a proof of another key, method or URL, is refused.
import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify } from 'jose';

export interface PresentedToken { scheme: 'bearer' | 'dpop'; token: string }

/** What the request offers: the Authorization header's token and scheme (RFC 6750 Bearer or RFC 9449 DPoP). */
export function presentedToken(authorization: string | undefined): PresentedToken | undefined {
  const match = /^\s*(bearer|dpop)\s+([\x21-\x7E]+)\s*$/i.exec(authorization ?? '');
  return match ? { scheme: match[1].toLowerCase() as PresentedToken['scheme'], token: match[2] } : undefined;
}

export interface ProofContext {
  /** The request's `DPoP` header. */
  proof: string | string[] | undefined;
  method: string;
  /** The absolute URL the client called (SITEURL + path), without query or fragment (RFC 9449 §4.3). */
  url: string;
}

const PROOF_ALGS = ['ES256', 'ES384', 'EdDSA', 'Ed25519', 'PS256', 'RS256'];
const MAX_AGE_SECONDS = 300;
const seenProofs = new Map<string, number>();

function firstSight(jti: string, now: number): boolean {
  if (seenProofs.size > 50_000) for (const [k, at] of seenProofs) if (now - at > MAX_AGE_SECONDS * 1000) seenProofs.delete(k);
  if (seenProofs.has(jti)) return false;
  seenProofs.set(jti, now);
  return true;
}

function withoutQuery(url: string): string | undefined {
  const parsed = URL.parse(url);
  if (!parsed) return undefined;
  parsed.search = '';
  parsed.hash = '';
  return parsed.href;
}

async function proofHolds(presented: PresentedToken, jkt: string, at: ProofContext): Promise<boolean> {
  if (presented.scheme !== 'dpop' || typeof at.proof !== 'string') return false;
  try {
    const { payload, protectedHeader } = await jwtVerify(at.proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: PROOF_ALGS, maxTokenAge: MAX_AGE_SECONDS, clockTolerance: 5 });
    if (!protectedHeader.jwk || await calculateJwkThumbprint(protectedHeader.jwk) !== jkt) return false;
    if (payload.htm !== at.method || typeof payload.htu !== 'string' || withoutQuery(payload.htu) !== withoutQuery(at.url)) return false;
    if (payload.ath !== createHash('sha256').update(presented.token).digest('base64url')) return false;
    return typeof payload.jti === 'string' && firstSight(payload.jti, Date.now());
  } catch {
    return false;
  }
}

/**
 * Whether the token may be used as presented: an unbound token as a Bearer (or DPoP) token, a
 * bound one (`jkt`) only with its proof.
 */
export async function senderConstraintHolds(presented: PresentedToken, jkt: unknown, at: ProofContext): Promise<boolean> {
  if (typeof jkt !== 'string' || !jkt) return true;
  return proofHolds(presented, jkt, at);
}
