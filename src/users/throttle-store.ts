// Where the credential throttle counts (#20): in a store every process and every node shares, so
// that a limit holds for the deployment, not for one process. PostgreSQL (or the embedded
// database) by default, Redis when DJAM_REDIS_URL is set.
//
// The database store is one statement per attempt whatever the number of counters: an upsert of
// every counter the attempt touches, returning the counts (increment, then test), and one more
// when a right password releases them. rate-limiter-flexible's RateLimiterDrizzle would drive our
// connection too, but with one upsert per counter: three statements for each sign-in and three
// more for each success, on the path whose statements test/perf/statement-budgets.test.ts bounds.
// The Redis store is rate-limiter-flexible's RateLimiterRedis (its atomic increment script).
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Db } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { throttleCounters } from '../db/schema.ts';

/** A counter an attempt counts on: its key, and the window a first count opens. */
export interface CounterSpec { key: string; windowSeconds: number }

/** A counter's state: its count and how long until its window (or lock-out) ends. */
export interface CounterState { key: string; points: number; msLeft: number }

export interface ThrottleStore {
  readonly kind: 'postgres' | 'redis';
  /** Counts one attempt on each counter at once; a counter whose window ended starts again at 1. */
  take(counters: CounterSpec[]): Promise<CounterState[]>;
  /** Gives back one point on each of `giveBack` and forgets `clear` (an attempt refused, or a right password). */
  release(giveBack: string[], clear: string[]): Promise<void>;
  /** Keeps the counter alive for at least `seconds` from now: the lock-out window. */
  extend(key: string, seconds: number): Promise<void>;
  /** Live counters named `keys` or whose key starts with one of `prefixes`. */
  find(keys: string[], prefixes: string[]): Promise<CounterState[]>;
  /** Forgets the counters `find` would return; how many there were. */
  remove(keys: string[], prefixes: string[]): Promise<number>;
  close(): Promise<void>;
}

// A consistent order of the rows an upsert locks, so that two attempts locking overlapping
// counters cannot deadlock.
const byKey = (a: CounterSpec, b: CounterSpec) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

// A key holds what the client sent (an e-mail, a Basic user name), which may hold a NUL byte that
// PostgreSQL's text cannot store: NUL and the escape character itself are percent-escaped in the
// table, reversibly, so a key never fails the statement (#18) and prefixes still match.
const stored = (key: string) => key.replace(/[%\0]/g, (c) => (c === '%' ? '%25' : '%00'));
const unstored = (key: string) => key.replace(/%(25|00)/g, (_m, hex: string) => (hex === '25' ? '%' : '\0'));

type Row = { key: string; points: number | string; ms_left: number | string };
const stateOf = (r: Row): CounterState => ({ key: unstored(r.key), points: Number(r.points), msLeft: Math.max(0, Number(r.ms_left)) });
const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows.map(stateOf);

/** Counters in the `throttle_counters` table; the periodic sweep deletes the dead rows. */
export function postgresThrottleStore(db: Db): ThrottleStore {
  const t = throttleCounters;
  const msLeft = sql`(extract(epoch from (${t.expire} - now())) * 1000)::bigint as ms_left`;
  const matching = (keys: string[], prefixes: string[]) => sql.join([
    ...keys.map((k) => sql`${t.key} = ${stored(k)}`),
    ...prefixes.map((p) => sql`${t.key} like ${likePrefix(stored(p))}`),
  ], sql` or `);
  return {
    kind: 'postgres',
    async take(counters) {
      if (!counters.length) return [];
      const values = [...counters].sort(byKey).map((c) => sql`(${stored(c.key)}, 1, now() + make_interval(secs => ${c.windowSeconds}))`);
      // A dead row (expire passed, not swept yet) starts again as a fresh one would.
      const result = await db.execute(sql`insert into ${t} as t (key, points, expire) values ${sql.join(values, sql`, `)}
        on conflict (key) do update set
          points = case when t.expire <= now() then 1 else t.points + 1 end,
          expire = case when t.expire <= now() then excluded.expire else t.expire end
        returning key, points, (extract(epoch from (expire - now())) * 1000)::bigint as ms_left`);
      const states = new Map(rowsOf(result).map((s) => [s.key, s]));
      return counters.map((c) => states.get(c.key)!);
    },
    async release(giveBack, clear) {
      if (!giveBack.length && !clear.length) return;
      // The rows are locked in key order first, as take() locks them: concurrent attempts that
      // count and give back the same counters cannot deadlock.
      const all = [...giveBack, ...clear];
      const inList = (keys: string[]) => (keys.length ? sql.join(keys.map((k) => sql`${stored(k)}`), sql`, `) : sql`null`);
      await db.execute(sql`with locked as (select key from ${t} where key in (${inList(all)}) order by key for update),
        dropped as (delete from ${t} where key in (select key from locked where key in (${inList(clear)})))
        update ${t} set points = greatest(points - 1, 0) where key in (select key from locked where key in (${inList(giveBack)}))`);
    },
    async extend(key, seconds) {
      await db.execute(sql`update ${t} set expire = greatest(expire, now() + make_interval(secs => ${seconds})) where ${t.key} = ${stored(key)}`);
    },
    async find(keys, prefixes) {
      return rowsOf(await db.execute(sql`select ${t.key} as key, ${t.points} as points, ${msLeft} from ${t}
        where (${matching(keys, prefixes)}) and ${t.expire} > now()`));
    },
    async remove(keys, prefixes) {
      const result = await db.execute(sql`delete from ${t} where (${matching(keys, prefixes)}) and ${t.expire} > now() returning ${t.key} as key, 0 as points, 0 as ms_left`);
      return rowsOf(result).length;
    },
    async close() {},
  };
}

/** Deletes the counters whose window has ended (run by the periodic sweep). */
export async function deleteDeadThrottleCounters(db: Db): Promise<void> {
  await db.execute(sql`delete from ${throttleCounters} where ${throttleCounters.expire} <= now()`);
}

/** Seconds a client is told to wait while the counters' store cannot be reached. */
const STORE_DOWN_RETRY_S = 5;

/**
 * An attempt that cannot be counted is never checked (that would make an outage a free-for-all),
 * and never a 500 either: it is refused with 503 and Retry-After, the error handler's and the
 * login page's answer to THROTTLE_UNAVAILABLE. The cause is kept for the log.
 */
function unavailableWhenDown(store: ThrottleStore): ThrottleStore {
  const guard = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    try {
      return await fn(...args);
    } catch (err) {
      throw new AppError('THROTTLE_UNAVAILABLE', { details: { retryAfterSeconds: STORE_DOWN_RETRY_S }, cause: err });
    }
  };
  return {
    kind: store.kind, take: guard(store.take), release: guard(store.release), extend: guard(store.extend),
    find: guard(store.find), remove: guard(store.remove), close: store.close,
  };
}

const REDIS_PREFIX = 'djam-throttle';
// Only `consume`'s count is used: the throttle tests it against each counter's own limit.
const NO_LIMIT = 2 ** 31 - 1;

const globEscape = (s: string) => s.replace(/[\\*?[\]]/g, (c) => `\\${c}`);

/**
 * Counters in Redis (DJAM_REDIS_URL), one RateLimiterRedis per window length; Redis expires them
 * itself. The connection fails fast (no offline queue): an attempt that cannot be counted is an error, never a free check.
 */
export function redisThrottleStore(url: string): ThrottleStore {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  redis.on('error', () => undefined); // each failed command rejects on its own; reconnection is automatic
  const limiters = new Map<number, RateLimiterRedis>();
  const limiterOf = (windowSeconds: number) => {
    let limiter = limiters.get(windowSeconds);
    if (!limiter) {
      limiter = new RateLimiterRedis({ storeClient: redis, keyPrefix: REDIS_PREFIX, points: NO_LIMIT, duration: windowSeconds });
      limiters.set(windowSeconds, limiter);
    }
    return limiter;
  };
  const full = (key: string) => `${REDIS_PREFIX}:${key}`;
  const keysOf = async (keys: string[], prefixes: string[]) => {
    const found = new Set(keys.map(full));
    for (const prefix of prefixes) {
      for await (const batch of redis.scanStream({ match: `${globEscape(full(prefix))}*`, count: 1000 })) {
        for (const k of batch as string[]) found.add(k);
      }
    }
    return [...found];
  };
  return unavailableWhenDown({
    kind: 'redis',
    async take(counters) {
      return Promise.all(counters.map(async (c) => {
        const res = await limiterOf(c.windowSeconds).consume(c.key).catch((err: unknown) => {
          if (err instanceof RateLimiterRes) return err;
          throw err;
        });
        return { key: c.key, points: res.consumedPoints, msLeft: Math.max(0, res.msBeforeNext) };
      }));
    },
    async release(giveBack, clear) {
      const multi = redis.multi();
      // A given-back point never brings a counter below zero, nor a deleted one back to life.
      for (const k of giveBack) multi.eval("if redis.call('get', KEYS[1]) and tonumber(redis.call('get', KEYS[1])) > 0 then return redis.call('decr', KEYS[1]) end return 0", 1, full(k));
      for (const k of clear) multi.del(full(k));
      await multi.exec();
    },
    async extend(key, seconds) {
      await redis.eval("local t = redis.call('pttl', KEYS[1]) if t >= 0 and t < tonumber(ARGV[1]) then redis.call('pexpire', KEYS[1], ARGV[1]) end return t", 1, full(key), String(seconds * 1000));
    },
    async find(keys, prefixes) {
      const all = await keysOf(keys, prefixes);
      if (!all.length) return [];
      const multi = redis.multi();
      for (const k of all) multi.get(k).pttl(k);
      const answers = (await multi.exec()) ?? [];
      const states: CounterState[] = [];
      all.forEach((k, i) => {
        const points = answers[2 * i]?.[1];
        const ttl = Number(answers[2 * i + 1]?.[1]);
        if (points !== null && points !== undefined && ttl > 0) states.push({ key: k.slice(REDIS_PREFIX.length + 1), points: Number(points), msLeft: ttl });
      });
      return states;
    },
    async remove(keys, prefixes) {
      const all = await keysOf(keys, prefixes);
      return all.length ? redis.del(...all) : 0;
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  });
}
