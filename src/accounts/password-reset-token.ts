// Stateless password-reset links, after Django's PasswordResetTokenGenerator: the token is a
// timestamp plus an HMAC over the user's id, current password hash, last login and e-mail. Any
// of those changing (setting the new password, signing in) voids every link sent before, so a
// link works once; and it expires after 3 days (Django's PASSWORD_RESET_TIMEOUT).
// A link an administrator sends leaves the password in place (Keycloak's behaviour), so the user
// may still sign in with it before using the link: that kind is not bound to the last login, only
// to the hash, which the link itself changes — it still works once.
import { createHmac } from 'node:crypto';
import { safeEqual, type SecretKeys } from '../crypto/keys.ts';
import type { User } from '../users/index.ts';

export const RESET_TOKEN_TTL_SECONDS = 3 * 24 * 3600;
type TokenUser = Pick<User, 'id' | 'password' | 'lastLogin' | 'email'>;
/** `self`: asked for by the user; `admin`: sent by an administrator (survives a sign-in). */
export type ResetKind = 'self' | 'admin';

/** Django's uidb64: the user id in URL-safe base64 without padding. */
export function encodeUid(id: number): string {
  return Buffer.from(String(id)).toString('base64url');
}

export function decodeUid(uidb64: string): number | undefined {
  if (!/^[A-Za-z0-9_-]{1,16}$/.test(uidb64)) return undefined;
  const text = Buffer.from(uidb64, 'base64url').toString('utf8');
  return /^[1-9]\d{0,15}$/.test(text) ? Number(text) : undefined;
}

function mac(keys: SecretKeys, user: TokenUser, stamp: string, kind: ResetKind): string {
  const lastLogin = user.lastLogin ? Math.floor(user.lastLogin.getTime() / 1000) : '';
  const input = kind === 'self'
    ? `password-reset|${user.id}|${user.password}|${lastLogin}|${user.email}|${stamp}`
    : `admin-password-reset|${user.id}|${user.password}|${user.email}|${stamp}`;
  return createHmac('sha256', keys.tokens).update(input).digest('base64url');
}

export function makeResetToken(keys: SecretKeys, user: TokenUser, kind: ResetKind = 'self', nowSeconds = Math.floor(Date.now() / 1000)): string {
  const stamp = nowSeconds.toString(36);
  return `${stamp}-${mac(keys, user, stamp, kind)}`;
}

export function isResetTokenValid(keys: SecretKeys, user: TokenUser, token: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const m = /^([0-9a-z]{1,10})-([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return false;
  const age = nowSeconds - parseInt(m[1], 36);
  return age >= 0 && age <= RESET_TOKEN_TTL_SECONDS && (safeEqual(m[2], mac(keys, user, m[1], 'self')) || safeEqual(m[2], mac(keys, user, m[1], 'admin')));
}
