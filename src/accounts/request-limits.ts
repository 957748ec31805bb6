// How often the forms that send e-mail (sign-up, activation resend, password reset, e-mail change)
// may be used: per client IP against scripted abuse, and per address so that nobody can flood
// someone's mailbox. Every admitted request counts, whatever its outcome, so the answer reveals
// nothing. The counts live in the credential throttle's shared store (#20), so the limits hold
// for the whole deployment, not for one process.
import type { FastifyReply } from 'fastify';
import type { Config } from '../config.ts';
import { admitMailRequest, type ThrottleStore } from '../users/index.ts';

export class MailFormLimits {
  private readonly store: ThrottleStore;
  private readonly limits: { perIp: number; perAddress: number };

  constructor(config: Pick<Config, 'DJAM_ACCOUNT_IP_RATE_LIMIT' | 'DJAM_ACCOUNT_MAIL_RATE_LIMIT'>, store: ThrottleStore) {
    this.store = store;
    this.limits = { perIp: config.DJAM_ACCOUNT_IP_RATE_LIMIT, perAddress: config.DJAM_ACCOUNT_MAIL_RATE_LIMIT };
  }

  /** Counts one request; false (with Retry-After set on `reply`) when the IP or the address has no allowance left. */
  async admit(reply: FastifyReply, ip: string, address: string): Promise<boolean> {
    const wait = await admitMailRequest({ store: this.store }, this.limits, ip, address);
    if (wait) reply.header('retry-after', String(wait));
    return wait === 0;
  }
}
