// Password hashing: Argon2id (OWASP parameters) for every new hash; the Django formats of the
// original (`pbkdf2_sha256$`, `pbkdf2_sha1$`, `sha1$`, `argon2$`) still verify so imported users
// keep their password, and needsRehash() tells the caller to upgrade them on the next login.
import { hash, verify } from '@node-rs/argon2';
import { createHash, pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { inHashingSlot } from './hashing-slots.ts';

const pbkdf2Async = promisify(pbkdf2);
// RFC 9106 / OWASP: Argon2id, 19 MiB, 2 passes, 1 lane.
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return inHashingSlot(() => hash(password, ARGON2));
}

function equalBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

async function verifyDjangoPbkdf2(password: string, encoded: string, digest: 'sha256' | 'sha1'): Promise<boolean> {
  const [, iterations, salt, expected] = encoded.split('$');
  const rounds = Number(iterations);
  if (!salt || !expected || !Number.isInteger(rounds) || rounds < 1) return false;
  const want = Buffer.from(expected, 'base64');
  const got = await pbkdf2Async(Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), rounds, want.length, digest);
  return equalBytes(got, want);
}

function verifyDjangoSha1(password: string, encoded: string): boolean {
  const [, salt, expected] = encoded.split('$');
  if (salt === undefined || !expected) return false;
  const got = createHash('sha1').update(salt + password, 'utf8').digest();
  return equalBytes(got, Buffer.from(expected, 'hex'));
}

/** True when `password` matches `encoded`; an unknown or empty hash never matches. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  try {
    if (encoded.startsWith('$argon2')) return await inHashingSlot(() => verify(encoded, password));
    // Django's Argon2PasswordHasher stores 'argon2' + the PHC string of argon2-cffi.
    if (encoded.startsWith('argon2$argon2')) return await inHashingSlot(() => verify(encoded.slice('argon2'.length), password));
    if (encoded.startsWith('pbkdf2_sha256$')) return await verifyDjangoPbkdf2(password, encoded, 'sha256');
    if (encoded.startsWith('pbkdf2_sha1$')) return await verifyDjangoPbkdf2(password, encoded, 'sha1');
    if (encoded.startsWith('sha1$')) return verifyDjangoSha1(password, encoded);
  } catch {
    // A malformed stored hash is a failed match, not a server error.
  }
  return false;
}

const KNOWN_HASH_FORMATS = [
  /^sha1\$[^$]*\$[0-9a-f]{40}$/,
  /^pbkdf2_sha(?:256|1)\$[1-9]\d*\$[^$]+\$[A-Za-z0-9+/]+={0,2}$/,
  /^(?:argon2)?\$argon2(?:id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/,
];

/** True for a well-formed hash verifyPassword() can check (Django's formats or Argon2). */
export function isSupportedPasswordHash(encoded: string): boolean {
  return KNOWN_HASH_FORMATS.some((format) => format.test(encoded));
}

export function needsRehash(encoded: string): boolean {
  return !encoded.startsWith('$argon2id$v=19$m=19456,t=2,p=1$');
}

// Verifying against this keeps the time of an unknown-user login close to a known one's.
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('djam-timing-equaliser');
  await verifyPassword(password, await dummyHash);
}
