// One throttle for every credential check (#17 item 1), shared by the whole deployment (#20): the
// password check and the key look-ups count here, so the login form, every Basic-auth door, the
// credentials introspection, the authkey checks and the key API draw on the same counters, in a
// store every process and node shares (throttle-store.ts).
//
// A password attempt is counted before the password is checked (increment, then test, in one
// statement), so that neither concurrent attempts nor attempts spread over nodes can pass the
// limit. It is progressive, as Keycloak's brute-force detection: more than
// DJAM_LOGIN_DELAY_AFTER attempts for an account from one IP within a minute wait for the rest of
// that minute (the short delay); DJAM_LOGIN_RATE_LIMIT failures from one IP, or
// DJAM_LOGIN_ACCOUNT_RATE_LIMIT from everywhere, lock the account there for
// DJAM_LOGIN_LOCKOUT_SECONDS (the lock-out). A refused attempt checks nothing, so the owner's
// right password gets the same 429 as a wrong one, and an administrator can lift the lock.
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import type { CounterSpec, CounterState, ThrottleStore } from './throttle-store.ts';

const FIFTEEN_MINUTES_S = 15 * 60;
const MINUTE_S = 60;
/** The node-local memo of IPs without allowance stays bounded. */
const MAX_BLOCKED_IPS = 10_000;

type ThrottleConfig = Pick<Config, 'DJAM_LOGIN_RATE_LIMIT' | 'DJAM_LOGIN_ACCOUNT_RATE_LIMIT' | 'DJAM_KEY_CHECK_RATE_LIMIT' | 'DJAM_LOGIN_DELAY_AFTER' | 'DJAM_LOGIN_LOCKOUT_SECONDS'>;

interface Counter extends CounterSpec {
  limit: number;
  /** Reaching the limit keeps the counter (the lock) for this long from then. */
  lockoutSeconds?: number;
}

export interface CredentialThrottle {
  store: ThrottleStore;
  config: ThrottleConfig;
  /**
   * Client IPs this node learnt have no key-check allowance left, until when (epoch ms). A key
   * check reads only this memo, never the store, so GeoServer's every request costs nothing;
   * what another node counted reaches it at its own first miss from that IP.
   */
  blockedIps: Map<string, number>;
}

export function createCredentialThrottle(config: ThrottleConfig, store: ThrottleStore): CredentialThrottle {
  return { store, config, blockedIps: new Map() };
}

/** Whole seconds, at least one: a Retry-After of 0 would invite an immediate retry. */
function secondsOf(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function refuse(retryAfterSeconds: number): never {
  throw new AppError('RATE_LIMITED', { details: { retryAfterSeconds } });
}

/** The seconds to wait that a RATE_LIMITED error carries, else undefined. */
export function retryAfterOf(err: unknown): number | undefined {
  if (!(err instanceof AppError) || (err.code !== 'RATE_LIMITED' && err.code !== 'THROTTLE_UNAVAILABLE')) return undefined;
  const seconds = err.details?.retryAfterSeconds;
  return typeof seconds === 'number' ? seconds : undefined;
}

/**
 * E-mail addresses match case-insensitively and usernames are usually the same text: one key per
 * account name, whether or not such an account exists (the count must not tell). The database
 * folds case its own way (its lower('İ') is 'i', JavaScript's is 'i' + a combining dot), so the
 * key folds further: compatibility forms decomposed and combining marks dropped, so that no
 * spelling the database matches to an account counts apart from it.
 */
function accountKey(name: string): string {
  return name.trim().normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

const ipCounter = (t: CredentialThrottle, ip: string): Counter => ({ key: `ip:${ip}`, limit: t.config.DJAM_KEY_CHECK_RATE_LIMIT, windowSeconds: MINUTE_S });

/** The counters of one account's password attempts from one IP, the IP's own first. */
function passwordCounters(t: CredentialThrottle, name: string, ip: string): Counter[] {
  const lockoutSeconds = t.config.DJAM_LOGIN_LOCKOUT_SECONDS;
  return [
    ipCounter(t, ip),
    ...(t.config.DJAM_LOGIN_DELAY_AFTER > 0 ? [{ key: `quick:${name} ${ip}`, limit: t.config.DJAM_LOGIN_DELAY_AFTER, windowSeconds: MINUTE_S }] : []),
    { key: `pair:${name} ${ip}`, limit: t.config.DJAM_LOGIN_RATE_LIMIT, windowSeconds: FIFTEEN_MINUTES_S, lockoutSeconds },
    { key: `account:${name}`, limit: t.config.DJAM_LOGIN_ACCOUNT_RATE_LIMIT, windowSeconds: FIFTEEN_MINUTES_S, lockoutSeconds },
  ];
}

function rememberBlockedIp(t: CredentialThrottle, ip: string, msLeft: number): void {
  const now = Date.now();
  if (t.blockedIps.size >= MAX_BLOCKED_IPS) for (const [k, until] of t.blockedIps) if (until <= now) t.blockedIps.delete(k);
  if (t.blockedIps.size < MAX_BLOCKED_IPS) t.blockedIps.set(ip, now + msLeft);
}

/**
 * Counts one attempt on each counter, then tests them. Over any limit: every count is given back
 * (the attempt checked nothing, and an attacker refused for their own IP or pair must not use up
 * the account's allowance for everyone else) and the answer is the seconds to wait, else 0.
 */
async function take(store: ThrottleStore, counters: Counter[]): Promise<{ states: CounterState[]; wait: number }> {
  const states = await store.take(counters);
  const over = states.filter((s, i) => s.points > counters[i].limit);
  if (!over.length) return { states, wait: 0 };
  await store.release(counters.map((c) => c.key), []);
  return { states, wait: secondsOf(Math.max(...over.map((s) => s.msLeft))) };
}

interface PasswordAttempt {
  /** The password was right: the pair's failures are forgotten, and this attempt is given back. */
  succeeded(): Promise<void>;
  /** The locks (`pair`, `account`) this attempt starts if the password is wrong: it was the last one allowed. */
  locksOnFailure: string[];
}

/**
 * Counts a password attempt before the password is checked, per client IP, per (account, IP) and
 * per account. An attempt a limit refuses throws RATE_LIMITED and is not counted.
 */
export async function admitPasswordAttempt(t: CredentialThrottle, account: string, ip: string): Promise<PasswordAttempt> {
  const counters = passwordCounters(t, accountKey(account), ip);
  const { states, wait } = await take(t.store, counters);
  // The IP's allowance is used up: this node's key checks learn it too.
  if (states[0].points > counters[0].limit) rememberBlockedIp(t, ip, states[0].msLeft);
  if (wait) refuse(wait);
  // The last attempt a counter allows: should it fail, the lock-out starts now (a right password
  // clears the pair below, and the account's lock only lasts longer than its window).
  const last = counters.filter((c, i) => c.lockoutSeconds && states[i].points === c.limit);
  await Promise.all(last.map((c) => t.store.extend(c.key, c.lockoutSeconds!)));
  return {
    locksOnFailure: last.map((c) => c.key.slice(0, c.key.indexOf(':'))),
    async succeeded() {
      const [ipKey, ...rest] = counters.map((c) => c.key);
      const accountKeyName = rest[rest.length - 1];
      await t.store.release([ipKey, accountKeyName], rest.slice(0, -1));
    },
  };
}

/**
 * A key check (API key, management key, client secret) from a client IP: refused before the
 * look-up while the IP has no allowance left; a miss counts one failure in the shared store.
 * Counted after the look-up, unlike passwords: keys are long and random, so a concurrent burst
 * slipping past the limit (or one miss more on each further node) learns nothing, and a hit,
 * GeoServer's every request, reads and writes nothing.
 */
export async function checkKey<T>(t: CredentialThrottle, ip: string, check: () => Promise<T>, isMiss: (result: T) => boolean): Promise<T> {
  const wait = keyCheckWait(t, ip);
  if (wait) refuse(wait);
  const result = await check();
  if (isMiss(result)) await countKeyMiss(t, ip);
  return result;
}

/** The seconds a key check from `ip` must wait, as far as this node knows (no store read), else 0. */
export function keyCheckWait(t: CredentialThrottle, ip: string): number {
  const until = t.blockedIps.get(ip);
  if (until === undefined) return 0;
  if (until > Date.now()) return secondsOf(until - Date.now());
  t.blockedIps.delete(ip);
  return 0;
}

/** Counts a failed key check from `ip` in the shared store; this node refuses the IP once it has no allowance left. */
export async function countKeyMiss(t: CredentialThrottle, ip: string): Promise<void> {
  const counter = ipCounter(t, ip);
  const [state] = await t.store.take([counter]);
  if (state.points >= counter.limit) rememberBlockedIp(t, ip, state.msLeft);
}

/** An account's lock-out as an administrator sees it: when the last of its locks ends, if any. */
export interface LockState {
  lockedUntil: Date | null;
  /** How many of its locks are held: the account-wide one and one per client IP. */
  locks: number;
}

function accountCounterPattern(t: CredentialThrottle, email: string) {
  const name = accountKey(email);
  const limits: Array<[string, number]> = [
    [`account:${name}`, t.config.DJAM_LOGIN_ACCOUNT_RATE_LIMIT], [`pair:${name} `, t.config.DJAM_LOGIN_RATE_LIMIT], [`quick:${name} `, t.config.DJAM_LOGIN_DELAY_AFTER],
  ];
  const limitOf = (key: string) => limits.find(([prefix]) => key === prefix || (prefix.endsWith(' ') && key.startsWith(prefix)))?.[1] ?? Infinity;
  return { keys: [`account:${name}`], prefixes: [`pair:${name} `, `quick:${name} `], limitOf };
}

/** Whether the account is locked out (from some IP or everywhere), and until when. */
export async function lockStateOf(t: CredentialThrottle, email: string): Promise<LockState> {
  const { keys, prefixes, limitOf } = accountCounterPattern(t, email);
  const locked = (await t.store.find(keys, prefixes)).filter((s) => s.points >= limitOf(s.key));
  if (!locked.length) return { lockedUntil: null, locks: 0 };
  return { lockedUntil: new Date(Date.now() + Math.max(...locked.map((s) => s.msLeft))), locks: locked.length };
}

/**
 * Lifts every lock and forgets every failure of the account; what it was before. `store` is the
 * throttle's own, or the same table inside the caller's transaction.
 */
export async function unlockAccount(t: CredentialThrottle, email: string, store: ThrottleStore = t.store): Promise<LockState> {
  const within = { ...t, store };
  const before = await lockStateOf(within, email);
  const { keys, prefixes } = accountCounterPattern(t, email);
  await store.remove(keys, prefixes);
  return before;
}

/**
 * The forms that send e-mail (sign-up, activation resend, password reset, e-mail change), per
 * client IP and per address, in the same shared store: counted first, then tested; a refused
 * request is not counted.
 */
export async function admitMailRequest(t: { store: ThrottleStore }, limits: { perIp: number; perAddress: number }, ip: string, address: string): Promise<number> {
  const key = address.trim().toLowerCase();
  const counters: Counter[] = [
    { key: `mail-ip:${ip}`, limit: limits.perIp, windowSeconds: FIFTEEN_MINUTES_S },
    ...(key ? [{ key: `mail-to:${key}`, limit: limits.perAddress, windowSeconds: FIFTEEN_MINUTES_S }] : []),
  ];
  return (await take(t.store, counters)).wait;
}
