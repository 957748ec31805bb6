// Authenticator apps (RFC 6238): what every app reads — SHA-1, 6 digits, 30-second steps — with
// one step of clock drift either way. The step a code matched is returned so the caller can
// accept each step once (a code seen over a shoulder, or replayed, is refused).
import { Secret, TOTP } from 'otpauth';

const PERIOD_S = 30;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpOf(secretBase32: string, issuer: string, label: string): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: PERIOD_S, secret: Secret.fromBase32(secretBase32) });
}

/** The time step `code` is valid for (±1 step around now), or undefined. */
export function matchingStep(secretBase32: string, code: string, nowMs = Date.now()): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totpOf(secretBase32, 'DJAM', 'x').validate({ token: code, timestamp: nowMs, window: 1 });
  return delta === null ? undefined : TOTP.counter({ period: PERIOD_S, timestamp: nowMs }) + delta;
}
