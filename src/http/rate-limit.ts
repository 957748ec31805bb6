// A fixed-window counter of requests per key (e-mail address, client IP), kept in process memory:
// cheap on the hot path, and a restart only forgives early. Only the forms that send e-mail use it
// (accounts/request-limits.ts); passwords and keys go through the credential throttle
// (users/credential-throttle.ts).
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

  private sweep(nowMs: number): void {
    for (const [k, w] of this.windows) if (nowMs - w.startedMs >= this.windowMs) this.windows.delete(k);
  }
}

