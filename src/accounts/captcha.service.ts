// reCAPTCHA v3 (docs/compatibility.md §6.4): on when both keys are configured. The page asks Google for a token
// with action `form`; we verify it server-side and accept it only for that action and at or
// above the configured score. A verification we cannot complete counts as a failure.
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';

type CaptchaConfig = Pick<Config, 'RECAPTCHA_PUBLIC_KEY' | 'RECAPTCHA_PRIVATE_KEY' | 'RECAPTCHA_REQUIRED_SCORE' | 'DJAM_RECAPTCHA_VERIFY_URL'>;
interface CaptchaLog { warn(obj: object, msg: string): void }

export const CAPTCHA_ACTION = 'form';
const VERIFY_TIMEOUT_MS = 5000;

/** The site key the pages embed, or undefined when the captcha is off. */
export function captchaSiteKey(config: CaptchaConfig): string | undefined {
  return config.RECAPTCHA_PUBLIC_KEY && config.RECAPTCHA_PRIVATE_KEY ? config.RECAPTCHA_PUBLIC_KEY : undefined;
}

async function askGoogle(config: CaptchaConfig, token: string, remoteIp: string): Promise<Record<string, unknown>> {
  const body = new URLSearchParams({ secret: config.RECAPTCHA_PRIVATE_KEY ?? '', response: token, remoteip: remoteIp });
  const res = await fetch(config.DJAM_RECAPTCHA_VERIFY_URL, { method: 'POST', body, signal: AbortSignal.timeout(VERIFY_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`siteverify answered ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Throws CAPTCHA_FAILED unless the captcha is off or `token` passes. */
export async function checkCaptcha(deps: { config: CaptchaConfig; log: CaptchaLog }, token: string, remoteIp: string): Promise<void> {
  if (!captchaSiteKey(deps.config)) return;
  if (!token || token.length > 4096) throw new AppError('CAPTCHA_FAILED');
  let answer: Record<string, unknown>;
  try {
    answer = await askGoogle(deps.config, token, remoteIp);
  } catch (cause) {
    deps.log.warn({ error: cause instanceof Error ? cause.message : String(cause) }, 'captcha.verify_failed');
    throw new AppError('CAPTCHA_FAILED', { cause });
  }
  const score = typeof answer.score === 'number' ? answer.score : -1;
  if (answer.success !== true || answer.action !== CAPTCHA_ACTION || score < deps.config.RECAPTCHA_REQUIRED_SCORE) {
    throw new AppError('CAPTCHA_FAILED', { details: { score, action: answer.action } });
  }
}
