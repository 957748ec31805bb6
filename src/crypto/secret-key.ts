// The master secret (DJAM_SECRET_KEY). Outside prod a missing key is generated once and kept
// in the data directory, so sessions and encrypted secrets survive a restart.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MIN_LENGTH = 32;

export function isSecretKeyWeak(key: string): boolean {
  return key.length < MIN_LENGTH || /^(changeme|secret|django-insecure)/i.test(key);
}

export function loadOrCreateSecretKey(dataDir: string): string {
  const path = join(dataDir, 'secret-key');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(48).toString('base64url');
  writeFileSync(path, `${key}\n`, { mode: 0o600 });
  return key;
}
