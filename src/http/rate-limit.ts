// A fixed-window counter of failed attempts per key (e-mail address, client IP), kept in
// process memory: cheap on the hot path, and a restart only forgives early.
export class AttemptLimiter {
  private readonly windows = new Map<string, { count: number; startedMs: number }>();

  private readonly maxAttempts: number;
  private readonly windowMs: number;

  constructor(maxAttempts: number, windowMs: number) {
    this.maxAttempts = maxAttempts;
    this.windowMs = windowMs;
  }

  isBlocked(key: string, nowMs = Date.now()): boolean {
    const w = this.windows.get(key);
    return Boolean(w && nowMs - w.startedMs < this.windowMs && w.count >= this.maxAttempts);
  }

  recordFailure(key: string, nowMs = Date.now()): void {
    const w = this.windows.get(key);
    if (!w || nowMs - w.startedMs >= this.windowMs) this.windows.set(key, { count: 1, startedMs: nowMs });
    else w.count += 1;
    if (this.windows.size > 100_000) this.sweep(nowMs);
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private sweep(nowMs: number): void {
    for (const [k, w] of this.windows) if (nowMs - w.startedMs >= this.windowMs) this.windows.delete(k);
  }
}

/**
 * Failed key and credential checks per client IP per minute: one counter for the key API and the
 * GeoServer endpoints, so a caller cannot double its guesses by spreading them over both.
 * GeoServer itself is usually the client, so a flood of bad keys through it pauses key checks for
 * a minute; DJAM_KEY_CHECK_RATE_LIMIT sizes the allowance.
 */
export function createKeyCheckLimiter(maxPerMinute: number): AttemptLimiter {
  return new AttemptLimiter(maxPerMinute, 60_000);
}
