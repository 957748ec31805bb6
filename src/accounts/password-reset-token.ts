// Stateless password-reset links, after Django's PasswordResetTokenGenerator: the token is a
// timestamp plus an HMAC over the user's id, current password hash, last login and e-mail. Any
// of those changing (setting the new password, signing in) voids every link sent before, so a
// link works once; and it expires after 3 days (Django's PASSWORD_RESET_TIMEOUT).
import { createHmac } from 'node:crypto';
import { safeEqual, type SecretKeys } from '../crypto/keys.ts';
import type { User } from '../users/index.ts';

export const RESET_TOKEN_TTL_SECONDS = 3 * 24 * 3600;
type TokenUser = Pick<User, 'id' | 'password' | 'lastLogin' | 'email'>;

/** Django's uidb64: the user id in URL-safe base64 without padding. */
export function encodeUid(id: number): string {
  return Buffer.from(String(id)).toString('base64url');
}

export function decodeUid(uidb64: string): number | undefined {
  if (!/^[A-Za-z0-9_-]{1,16}$/.test(uidb64)) return undefined;
  const text = Buffer.from(uidb64, 'base64url').toString('utf8');
  return /^[1-9]\d{0,15}$/.test(text) ? Number(text) : undefined;
}

function mac(keys: SecretKeys, user: TokenUser, stamp: string): string {
  const lastLogin = user.lastLogin ? Math.floor(user.lastLogin.getTime() / 1000) : '';
  return createHmac('sha256', keys.tokens)
    .update(`password-reset|${user.id}|${user.password}|${lastLogin}|${user.email}|${stamp}`).digest('base64url');
}

export function makeResetToken(keys: SecretKeys, user: TokenUser, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const stamp = nowSeconds.toString(36);
  return `${stamp}-${mac(keys, user, stamp)}`;
}

export function isResetTokenValid(keys: SecretKeys, user: TokenUser, token: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const m = /^([0-9a-z]{1,10})-([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return false;
  const age = nowSeconds - parseInt(m[1], 36);
  return age >= 0 && age <= RESET_TOKEN_TTL_SECONDS && safeEqual(m[2], mac(keys, user, m[1]));
}
