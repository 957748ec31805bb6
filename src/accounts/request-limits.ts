// How often the forms that send e-mail (sign-up, activation resend, password reset) may be used:
// per client IP against scripted abuse, and per address so that nobody can flood someone's
// mailbox. Every request counts, whatever its outcome, so the answer reveals nothing.
import type { Config } from '../config.ts';
import { AttemptLimiter } from '../http/rate-limit.ts';

const WINDOW_MS = 15 * 60 * 1000;

export class MailFormLimits {
  private readonly perIp: AttemptLimiter;
  private readonly perAddress: AttemptLimiter;

  constructor(config: Pick<Config, 'DJAM_ACCOUNT_IP_RATE_LIMIT' | 'DJAM_ACCOUNT_MAIL_RATE_LIMIT'>) {
    this.perIp = new AttemptLimiter(config.DJAM_ACCOUNT_IP_RATE_LIMIT, WINDOW_MS);
    this.perAddress = new AttemptLimiter(config.DJAM_ACCOUNT_MAIL_RATE_LIMIT, WINDOW_MS);
  }

  /** Counts one request; false when the IP or the address has no allowance left. */
  allow(ip: string, address: string): boolean {
    const key = address.trim().toLowerCase();
    if (this.perIp.isBlocked(ip) || (key && this.perAddress.isBlocked(key))) return false;
    this.perIp.recordFailure(ip);
    if (key) this.perAddress.recordFailure(key);
    return true;
  }
}
