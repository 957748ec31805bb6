// State carried between the steps of a sign-in, sealed (AES-256-GCM) into short-lived cookies:
// the password was right but the second step is still to come (no session exists yet), an
// authenticator app being enrolled, and recovery codes just made (shown this once). Sealing
// makes them unforgeable and unreadable by the browser; each carries its user and its end.
import { seal, unseal, type SecretKeys } from '../crypto/keys.ts';

export const PENDING_TTL_MS = 10 * 60_000;

export interface PendingSignIn { userId: number; methods: string[]; purpose: 'verify' | 'enrol' }
export interface TotpEnrolment { userId: number; secret: string }
export interface FreshCodes { userId: number; codes: string[] }

export function sealState<T extends object>(keys: SecretKeys, kind: string, state: T, ttlMs = PENDING_TTL_MS): string {
  return seal(keys, JSON.stringify({ kind, exp: Date.now() + ttlMs, state }));
}

/** The state sealed as `kind`, if the value is ours, of that kind and not expired. */
export function unsealState<T>(keys: SecretKeys, kind: string, value: string | undefined): T | undefined {
  if (!value || value.length > 4096) return undefined;
  try {
    const parsed = JSON.parse(unseal(keys, value)) as { kind?: unknown; exp?: unknown; state?: T };
    return parsed.kind === kind && typeof parsed.exp === 'number' && parsed.exp > Date.now() ? parsed.state : undefined;
  } catch {
    return undefined;
  }
}
