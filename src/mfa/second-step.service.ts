// The second step of a sign-in (#22): a code from an authenticator app, or a recovery code. Each
// attempt counts in the shared credential throttle (as a password attempt on `mfa:<user id>`), so
// six digits cannot be guessed faster than a password, on one node or many; each failure is audited.
import { admitPasswordAttempt, type CredentialThrottle, type User } from '../users/index.ts';
import { recordAudit, userActor } from '../access/index.ts';
import { AppError } from '../errors.ts';
import { useTotpCode, type MfaDeps } from './factors.service.ts';
import { useRecoveryCode } from './recovery-codes.service.ts';

export type SecondStepDeps = MfaDeps & { throttle: CredentialThrottle };

/** RFC 8176 methods after `firstMethods` and this second step; `mfa` whenever two were used. */
export function withSecondMethod(firstMethods: readonly string[], method?: string): string[] {
  return [...new Set([...firstMethods, ...(method ? [method] : []), 'mfa'])];
}

/** The sign-in's methods once `code` is accepted; MFA_CODE_INVALID (or RATE_LIMITED) otherwise. */
export async function checkSecondStep(deps: SecondStepDeps, user: User, firstMethods: readonly string[], code: string, ip: string): Promise<string[]> {
  const attempt = await admitPasswordAttempt(deps.throttle, `mfa:${user.id}`, ip);
  const typed = code.replace(/\s+/g, '').slice(0, 40);
  if (/^\d{6}$/.test(typed) && (await useTotpCode(deps, user.id, typed)) !== undefined) {
    await attempt.succeeded();
    return withSecondMethod(firstMethods, 'otp');
  }
  // RFC 8176 has no method for a recovery code: the sign-in used two factors, nothing more is said.
  if (typed && (await useRecoveryCode(deps, user.id, typed))) {
    await attempt.succeeded();
    return withSecondMethod(firstMethods);
  }
  await recordAudit(deps.db, userActor(user, ip), { action: 'mfa.second-step-failed', entityType: 'user', entityId: user.id, after: { ip } });
  throw new AppError('MFA_CODE_INVALID');
}
