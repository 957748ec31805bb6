// The key API's authenticator (docs/compatibility.md §5.2): DRF's TokenAuthentication header rules, then DJAM's
// checks of the management key. Clients and scripts match on the `detail` texts, typo included.
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { checkKey, type CredentialThrottle } from '../users/index.ts';
import { findApiKey, type FoundKey } from './api-keys.service.ts';
import { noteRevokedKeyUse } from './revoked-use.ts';

const AUTH_FAILURES = {
  notProvided: 'Authentication credentials were not provided.',
  noCredentials: 'Invalid token header. No credentials provided.',
  spaces: 'Invalid token header. Token string should not contain spaces.',
  invalidCharacters: 'Invalid token header. Token string should not contain invalid characters.',
  invalid: 'Invalid token.',
  inactive: 'User inactive or deleted.',
  expired: 'Permissions error: Your token as been expired. Please renew it !',
} as const;

type KeyAuth = { caller: FoundKey } | { failure: string };

// Python's bytes.split(): the header is split on ASCII whitespace only.
const ASCII_WHITESPACE = /[\t\n\v\f\r ]+/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function tokenOf(header: string | undefined): { token: string } | { failure: string } {
  const parts = (header ?? '').split(ASCII_WHITESPACE).filter(Boolean);
  // Any other scheme (Bearer, Basic) is "no credentials", as DRF treats it.
  if (!parts.length || parts[0].toLowerCase() !== 'token') return { failure: AUTH_FAILURES.notProvided };
  if (parts.length === 1) return { failure: AUTH_FAILURES.noCredentials };
  if (parts.length > 2) return { failure: AUTH_FAILURES.spaces };
  try {
    // Node hands header bytes over as latin-1; DRF decodes them as UTF-8 and refuses what is not.
    return { token: utf8.decode(Buffer.from(parts[1], 'latin1')) };
  } catch {
    return { failure: AUTH_FAILURES.invalidCharacters };
  }
}

type Deps = { db: Db; keys: SecretKeys; throttle: CredentialThrottle };

/**
 * The management key an `Authorization: Token <key>` header names, or the 401 `detail` to answer.
 * A key that fails counts for `ip` in the credential throttle, which throws RATE_LIMITED past its
 * limit; a malformed header is refused without a look-up, so it guesses nothing and counts nothing.
 */
export async function authenticateManagementKey(deps: Deps, header: string | undefined, ip: string, now = new Date()): Promise<KeyAuth> {
  const parsed = tokenOf(header);
  if ('failure' in parsed) return parsed;
  return checkKey(deps.throttle, ip, () => checkManagementKey(deps, parsed.token, now), (auth) => 'failure' in auth);
}

async function checkManagementKey(deps: Deps, token: string, now: Date): Promise<KeyAuth> {
  const key = await findApiKey(deps, token);
  if (!key) return { failure: AUTH_FAILURES.invalid };
  if (!key.owner.isActive) return { failure: AUTH_FAILURES.inactive };
  // docs/compatibility.md §0.4: a revoked management key is refused like an unknown one (the original let it in).
  if (key.scope !== 'management' || key.revoked) {
    await noteRevokedKeyUse(deps, key, 'key-api');
    return { failure: AUTH_FAILURES.invalid };
  }
  if (key.expiry <= now) return { failure: AUTH_FAILURES.expired };
  return { caller: key };
}
