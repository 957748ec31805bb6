// One throttle for every credential check (#17 item 1): the password check and the key look-ups
// count their own failures here, so the login form, every Basic-auth door, the credentials
// introspection, the authkey checks and the key API draw on the same counters.
//
// The counters sit behind AttemptCounter so that only the store changes when they move to a store
// every process shares (#20): rate-limiter-flexible's PostgreSQL and Redis limiters have the same
// API as the in-memory one used here.
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';

/** Attempts per key in a fixed window. */
interface AttemptCounter {
  /** Counts one attempt, then tests it (so concurrent attempts cannot all pass): the seconds to wait when it went over the limit, else 0. */
  take(key: string): Promise<number>;
  /** The seconds to wait when the key has no allowance left, else 0; counts nothing. */
  waitOf(key: string): Promise<number>;
  /** Counts one failure that was not taken beforehand. */
  add(key: string): Promise<void>;
  /** Gives back one attempt take() counted. */
  giveBack(key: string): Promise<void>;
  clear(key: string): Promise<void>;
}

export interface CredentialThrottle {
  /** One account from one client IP: DJAM_LOGIN_RATE_LIMIT per 15 minutes. */
  pair: AttemptCounter;
  /** One account from any IP: DJAM_LOGIN_ACCOUNT_RATE_LIMIT per 15 minutes (#17 item 10: high, so that one attacker cannot lock the owner out everywhere). */
  account: AttemptCounter;
  /** One client IP, whatever the account or key: DJAM_KEY_CHECK_RATE_LIMIT per minute. */
  ip: AttemptCounter;
}

const FIFTEEN_MINUTES_S = 15 * 60;
const MINUTE_S = 60;

/** Whole seconds, at least one: a Retry-After of 0 would invite an immediate retry. */
function secondsOf(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function counterOf(limiter: RateLimiterAbstract): AttemptCounter {
  return {
    async take(key) {
      try {
        await limiter.consume(key);
        return 0;
      } catch (refusal) {
        // The limiter rejects with its result when over the limit, with an Error when the store fails.
        if (refusal instanceof RateLimiterRes) return secondsOf(refusal.msBeforeNext);
        throw refusal;
      }
    },
    async waitOf(key) {
      const res = await limiter.get(key);
      return res && res.consumedPoints >= limiter.points ? secondsOf(res.msBeforeNext) : 0;
    },
    async add(key) { await limiter.penalty(key); },
    async giveBack(key) { await limiter.reward(key); },
    async clear(key) { await limiter.delete(key); },
  };
}

function memoryCounter(points: number, durationSeconds: number): AttemptCounter {
  return counterOf(new RateLimiterMemory({ points, duration: durationSeconds }));
}

/** Counters in this process's memory (expired ones are dropped by the store's own timers). */
export function createCredentialThrottle(config: Pick<Config, 'DJAM_LOGIN_RATE_LIMIT' | 'DJAM_LOGIN_ACCOUNT_RATE_LIMIT' | 'DJAM_KEY_CHECK_RATE_LIMIT'>): CredentialThrottle {
  return {
    pair: memoryCounter(config.DJAM_LOGIN_RATE_LIMIT, FIFTEEN_MINUTES_S),
    account: memoryCounter(config.DJAM_LOGIN_ACCOUNT_RATE_LIMIT, FIFTEEN_MINUTES_S),
    ip: memoryCounter(config.DJAM_KEY_CHECK_RATE_LIMIT, MINUTE_S),
  };
}

function refuse(retryAfterSeconds: number): never {
  throw new AppError('RATE_LIMITED', { details: { retryAfterSeconds } });
}

/** The seconds to wait that a RATE_LIMITED error carries, else undefined. */
export function retryAfterOf(err: unknown): number | undefined {
  if (!(err instanceof AppError) || err.code !== 'RATE_LIMITED') return undefined;
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

interface PasswordAttempt {
  /** The password was right: the pair's failures are forgotten, and this attempt is given back. */
  succeeded(): Promise<void>;
}

/**
 * Counts a password attempt before the password is checked, per client IP, per (account, IP) and
 * per account, in that order. An attempt a limit refuses throws RATE_LIMITED and is given back
 * where it was already counted: it checked nothing, and an attacker refused for their own IP or
 * pair must not use up the account's allowance for everyone else.
 */
export async function admitPasswordAttempt(throttle: CredentialThrottle, account: string, ip: string): Promise<PasswordAttempt> {
  const name = accountKey(account);
  const steps: Array<[AttemptCounter, string]> = [[throttle.ip, ip], [throttle.pair, `${name} ${ip}`], [throttle.account, name]];
  for (const [i, [counter, key]] of steps.entries()) {
    const wait = await counter.take(key);
    if (wait === 0) continue;
    await Promise.all(steps.slice(0, i).map(([taken, k]) => taken.giveBack(k)));
    refuse(wait);
  }
  return {
    async succeeded() {
      await Promise.all([throttle.ip.giveBack(ip), throttle.pair.clear(steps[1][1]), throttle.account.giveBack(name)]);
    },
  };
}

/**
 * A key check (API key, management key, client secret) from a client IP: refused before the
 * look-up while the IP has no allowance left; a miss counts one failure. Counted after the
 * look-up, unlike passwords: keys are long and random, so a concurrent burst slipping past the
 * limit learns nothing, and a hit, GeoServer's every request, writes nothing.
 */
export async function checkKey<T>(throttle: CredentialThrottle, ip: string, check: () => Promise<T>, isMiss: (result: T) => boolean): Promise<T> {
  const wait = await throttle.ip.waitOf(ip);
  if (wait > 0) refuse(wait);
  const result = await check();
  if (isMiss(result)) await throttle.ip.add(ip);
  return result;
}
