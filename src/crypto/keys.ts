// Purpose-bound keys derived from DJAM_SECRET_KEY with HKDF, so that no two uses share a key:
// a leaked cookie-signing key does not decrypt stored secrets, and vice versa.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SecretKeys {
  /** AES-256-GCM key for secrets the server must read back (client secrets, API keys, signing keys). */
  encryption: Buffer;
  /** HMAC-SHA-256 key for look-up hashes of secrets (API keys, session ids). */
  lookup: Buffer;
  /** HMAC key that signs CSRF tokens. */
  csrf: Buffer;
  /** HMAC key of the stateless tokens sent by e-mail (password-reset links). */
  tokens: Buffer;
  /** Keys oidc-provider signs its cookies with (identical on every node). */
  cookies: string[];
}

function derive(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'djam', purpose, 32));
}

export function deriveKeys(secret: string): SecretKeys {
  return {
    encryption: derive(secret, 'encryption/v1'),
    lookup: derive(secret, 'lookup/v1'),
    csrf: derive(secret, 'csrf/v1'),
    tokens: derive(secret, 'email-tokens/v1'),
    cookies: [derive(secret, 'oidc-cookies/v1').toString('base64url')],
  };
}

/** Keyed hash used to find a secret by value without storing it: hex HMAC-SHA-256. */
export function lookupHash(keys: SecretKeys, value: string): string {
  return createHmac('sha256', keys.lookup).update(value).digest('hex');
}

const VERSION = 'v1';

/** Encrypts with AES-256-GCM; the output carries its version, nonce and tag. */
export function seal(keys: SecretKeys, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.encryption, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

export function unseal(keys: SecretKeys, sealed: string): string {
  const [version, payload] = sealed.split('.', 2);
  if (version !== VERSION || !payload) throw new Error('unsupported sealed value');
  const raw = Buffer.from(payload, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', keys.encryption, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** Constant-time comparison of two strings of possibly different length. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
