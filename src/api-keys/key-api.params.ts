// The key API's parameters (docs/compatibility.md §5.3–5.5), read as the original reads them; what made the
// original crash with a 500 gets the contract's 4xx instead.
import { AppError } from '../errors.ts';
import { daysFromNow } from './api-keys.service.ts';

// Python's strptime('%Y-%m-%dT%H:%M:%S.%fZ'): fractional seconds mandatory, a literal Z, no offset.
const EXPIRY_FORMAT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{1,6})Z$/;

function parseUtcStamp(text: string): Date | undefined {
  const m = EXPIRY_FORMAT.exec(text);
  if (!m) return undefined;
  const [year, month, day, hours, minutes, seconds] = m.slice(1, 7).map(Number);
  const ms = Number(m[7].padEnd(3, '0').slice(0, 3)); // microseconds, truncated to what a Date holds
  const date = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds, ms));
  // Date.UTC rolls 31 February over into March and 24:00 into the next day; strptime refuses both.
  const exact = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    && date.getUTCHours() === hours && date.getUTCMinutes() === minutes && date.getUTCSeconds() === seconds;
  return exact ? date : undefined;
}

/** docs/compatibility.md §5.3 step 1: the requested expiry, undefined when none was sent (absent or null). */
export function parseRequestedExpiry(value: unknown, now: Date, maxDays: number): Date | undefined {
  if (value === undefined || value === null) return undefined;
  // A non-string (a number, a list) crashed the original; the contract wants the same 403.
  const expiry = typeof value === 'string' ? parseUtcStamp(value) : undefined;
  if (!expiry || expiry < now || expiry > daysFromNow(maxDays, now.getTime())) throw new AppError('APIKEY_EXPIRY_INVALID');
  return expiry;
}

const TRUE_WORDS = ['true', '1', 't', 'yes'];
const FALSE_WORDS = ['false', '0', 'f', 'no'];

/** docs/compatibility.md §5.5 `revoked`: what Django's BooleanField takes, plus the spellings the contract adds. */
export function parseRevoked(value: unknown): boolean {
  if (value === true || value === 1) return true;
  if (value === false || value === 0) return false;
  const word = typeof value === 'string' ? value.toLowerCase() : undefined;
  if (word !== undefined && TRUE_WORDS.includes(word)) return true;
  if (word !== undefined && FALSE_WORDS.includes(word)) return false;
  throw new AppError('APIKEY_REVOKED_INVALID');
}

/** docs/compatibility.md §5.5 rotate: the documented "True", and also JSON true and any case of "true". */
export function isShortExpiryRequested(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

/** The largest user id: PostgreSQL's `integer` (a larger one made the look-up fail with a 500, #17 item 13). */
const MAX_USER_ID = 2147483647;

/**
 * docs/compatibility.md §5.4 `account_id` as a user id: a JSON integer, or digits as form encoding sends them. Zero,
 * ids past the integer range and anything else give undefined, which means "the caller" (the
 * original crashed on "abc").
 */
export function accountIdOf(value: unknown): number | undefined {
  const id = typeof value === 'string' && /^\s*\+?\d{1,15}\s*$/.test(value) ? Number(value) : value;
  return typeof id === 'number' && Number.isInteger(id) && id > 0 && id <= MAX_USER_ID ? id : undefined;
}
