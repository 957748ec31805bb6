// docs/compatibility.md §4.2: GeoServer checks HTTP-Basic credentials it received against DJAM, sending the username
// and password Base64-encoded in the query string.
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { isPasswordAloneRefused } from '../mfa/index.ts';
import { admitPasswordAttempt, findUserByUsername, verifyPassword, type CredentialThrottle, type DirectoryPasswordCheck, type User } from '../users/index.ts';
import { AppError } from '../errors.ts';
import { listTeamNamesOfUser } from '../privileges/index.ts';

type CredentialCheck =
  | { outcome: 'valid'; username: string; groups: string[] }
  | { outcome: 'malformed' | 'unknown-user' | 'wrong-password' | 'mfa-required' };

/**
 * Python's lenient `b64decode(...).decode('ascii')`: characters outside the alphabet are
 * skipped, but the padding must come out right and every decoded byte must be ASCII.
 */
function decodeBase64Ascii(value: string | undefined): string | undefined {
  if (!value || value.length > 4096 || [...value].some((c) => c.charCodeAt(0) > 0x7f)) return undefined;
  const data = value.replace(/[^A-Za-z0-9+/=]/g, '');
  if (data.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return undefined;
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length === 0 || bytes.some((b) => b > 0x7f)) return undefined;
  return bytes.toString('latin1');
}

/**
 * Username matched exactly and case-sensitively, as the original. Divergence asked by the
 * contract: an inactive user is refused like a wrong password (the original let them through).
 * A password GeoServer relays is a guess like any other: the credential throttle counts it
 * for the username and `ip` (GeoServer's), and throws RATE_LIMITED past a limit (#17 item 1).
 */
/** The directory's answer for a Basic-style check: its user, a wrong password, or not a directory user. */
async function directoryUser(check: DirectoryPasswordCheck, username: string, password: string): Promise<User | 'wrong-password' | undefined> {
  try {
    return await check(username, password);
  } catch (err) {
    if (err instanceof AppError && err.code === 'INVALID_CREDENTIALS') return 'wrong-password';
    throw err;
  }
}

export async function checkCredentials(deps: { config: Pick<Config, 'DJAM_MFA_REQUIRED'>; db: Db; throttle: CredentialThrottle; directory?: DirectoryPasswordCheck }, encodedUser: string | undefined, encodedPassword: string | undefined, ip: string): Promise<CredentialCheck> {
  const username = decodeBase64Ascii(encodedUser);
  const password = decodeBase64Ascii(encodedPassword);
  if (username === undefined || password === undefined) return { outcome: 'malformed' };
  const attempt = await admitPasswordAttempt(deps.throttle, username, ip);
  // #17 review: PostgreSQL refuses NUL in text, so no stored username holds one; the original
  // answered such a name with a 500, and GeoServer can only read it as "no such user".
  const local = username.includes('\0') ? undefined : await findUserByUsername(deps, username);
  // #23: a name without a local password may be a directory user's (uid or e-mail); its password is checked there.
  const fromDirectory = deps.directory && !local?.password && !username.includes('\0') ? await directoryUser(deps.directory, username, password) : undefined;
  if (fromDirectory === 'wrong-password') return { outcome: 'wrong-password' };
  const user = fromDirectory ?? local;
  if (!user) return { outcome: 'unknown-user' };
  if (fromDirectory) {
    await attempt.succeeded();
    if (await isPasswordAloneRefused(deps, user)) return { outcome: 'mfa-required' };
    return { outcome: 'valid', username: user.username, groups: await listTeamNamesOfUser(deps, user.id) };
  }
  const isValid = user.isActive && Boolean(user.password) && await verifyPassword(password, user.password);
  if (!isValid) return { outcome: 'wrong-password' };
  await attempt.succeeded();
  // #22: a password relayed by GeoServer is a password alone.
  if (await isPasswordAloneRefused(deps, user)) return { outcome: 'mfa-required' };
  return { outcome: 'valid', username: user.username, groups: await listTeamNamesOfUser(deps, user.id) };
}
