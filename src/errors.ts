// The error catalogue: services throw AppError with a code from here; http/error-handler.ts
// is the only place that turns one into a response.
export const catalogue = {
  VALIDATION_FAILED: { status: 400, message: 'The request is invalid.' },
  UNAUTHENTICATED: { status: 401, message: 'Sign in first.' },
  FORBIDDEN: { status: 403, message: 'You lack the privilege for this.' },
  CSRF_FAILED: { status: 403, message: 'The form has expired or did not come from this site. Reload the page and try again.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  RATE_LIMITED: { status: 429, message: 'Too many attempts. Wait a few minutes and try again.' },
  THROTTLE_UNAVAILABLE: { status: 503, message: 'Signing in is briefly unavailable. Try again in a few seconds.' },
  USER_NOT_FOUND: { status: 404, message: 'No such user.' },
  MFA_CODE_INVALID: { status: 400, message: 'That code is not valid. Enter the 6-digit code of your authenticator app, or one of your recovery codes.' },
  MFA_REQUIRED: { status: 403, message: 'This account must sign in with a second factor, which this door cannot ask for. Sign in on the web, or use an API key for scripts.' },
  MFA_REAUTHENTICATION_REQUIRED: { status: 403, message: 'Confirm who you are first: this change needs a sign-in from the last 5 minutes.' },
  MFA_FACTOR_NOT_FOUND: { status: 404, message: 'No such second factor.' },
  MFA_PASSKEY_FAILED: { status: 400, message: 'The passkey could not be verified. Try again, or use another way to sign in.' },
  EMAIL_TAKEN: { status: 409, message: 'A user with that email already exists.' },
  USERNAME_TAKEN: { status: 409, message: 'A user with that username already exists.' },
  CLIENT_NOT_FOUND: { status: 404, message: 'No such application.' },
  CLIENT_ID_TAKEN: { status: 409, message: 'That client id is already registered.' },
  INVALID_CREDENTIALS: { status: 400, message: 'Please enter a correct email address and password. Note that both fields may be case-sensitive.' },
  EMAIL_NOT_CONFIRMED: { status: 400, message: 'Please confirm your email before continuation.' },
  CAPTCHA_FAILED: { status: 400, message: 'Error verifying reCAPTCHA, please try again.' },
  SIGNING_KEY_MISSING: { status: 500, message: 'No signing key exists; run `djam creatersakey`.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported media type in request.' },
  APIKEY_EXPIRY_INVALID: { status: 403, message: 'Invalid format or expiration date.' },
  APIKEY_RESOURCE_KEY_REFUSED: { status: 403, message: 'No access permissions or invalid resource key' },
  APIKEY_REVOKED_INVALID: { status: 400, message: 'Invalid revoked value.' },
  SUPERUSER_REQUIRED: { status: 403, message: 'Only a superuser may do this.' },
  LAST_SUPERUSER: { status: 409, message: 'This is the last active superuser: make another superuser first.' },
  STAFF_REQUIRED: { status: 403, message: 'Only staff members may use the admin API.' },
  TEAM_NOT_FOUND: { status: 404, message: 'No such team.' },
  ROLE_NOT_FOUND: { status: 404, message: 'No such role.' },
  RESOURCE_NOT_FOUND: { status: 404, message: 'No such resource.' },
  ACCESS_RULE_NOT_FOUND: { status: 404, message: 'No such access rule.' },
  API_KEY_NOT_FOUND: { status: 404, message: 'No such API key.' },
  LOGIN_PREVENTION_NOT_FOUND: { status: 404, message: 'No such login prevention.' },
  JOB_NOT_FOUND: { status: 404, message: 'No such job.' },
  JOB_NOT_DEAD: { status: 409, message: 'Only a dead job can be retried.' },
  NAME_TAKEN: { status: 409, message: 'That name is already taken.' },
  WEBHOOK_NOT_FOUND: { status: 404, message: 'No such webhook endpoint.' },
  WEBHOOK_DELIVERY_NOT_FOUND: { status: 404, message: 'No such delivery of this webhook endpoint.' },
  WEBHOOK_URL_REFUSED: { status: 400, message: 'That webhook URL is refused: it must be http(s) and reach a public address (see DJAM_WEBHOOK_ALLOW_PRIVATE).' },
  WEBHOOK_EVENT_TYPE_UNKNOWN: { status: 400, message: 'No such event type (docs/events.md lists them; * subscribes to all).' },
  IDP_NOT_FOUND: { status: 404, message: 'No such identity provider.' },
  IDP_SLUG_TAKEN: { status: 409, message: 'An identity provider with that slug already exists.' },
  IDP_ISSUER_REFUSED: { status: 400, message: 'The issuer must be an https URL (http only where DJAM_IDP_ALLOW_HTTP is set).' },
  IDP_UNAVAILABLE: { status: 502, message: 'The identity provider could not be reached or gave a wrong answer. Try again later, or sign in another way.' },
  IDP_SIGN_IN_FAILED: { status: 400, message: 'Signing in through the identity provider failed (the answer was expired, tampered with or not for us). Start again from the sign-in page.' },
  IDP_ACCESS_DENIED: { status: 403, message: 'The identity provider did not let you sign in.' },
  IDP_DOMAIN_NOT_ALLOWED: { status: 403, message: 'Accounts of that e-mail domain may not sign in through this identity provider.' },
  IDP_EMAIL_UNVERIFIED: { status: 403, message: 'The identity provider did not vouch for your e-mail address, so no account can be created from it. Ask an administrator, or sign in another way.' },
  IDP_ACCOUNT_EXISTS: { status: 409, message: 'An account with this e-mail address already exists. Sign in with your password, then link this sign-in method from your account page.' },
  IDP_NO_ACCOUNT: { status: 403, message: 'No account is linked to this sign-in and this identity provider does not create accounts. Ask an administrator.' },
  IDP_LINK_TAKEN: { status: 409, message: 'That account of the identity provider is already linked to another user.' },
  IDP_LINK_NOT_FOUND: { status: 404, message: 'No such linked sign-in method.' },
  IDP_LAST_SIGN_IN_METHOD: { status: 409, message: 'This is your only way to sign in: set a password or link another method before unlinking it.' },
  LDAP_UNAVAILABLE: { status: 503, message: 'The directory could not be reached. Try again in a moment.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof catalogue;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, opts: { details?: Record<string, unknown>; message?: string; cause?: unknown } = {}) {
    super(opts.message ?? catalogue[code].message, { cause: opts.cause });
    this.code = code;
    this.status = catalogue[code].status;
    this.details = opts.details;
  }
}

/** The constraint a PostgreSQL unique_violation names (pg and PGlite alike), if `err` is one. */
export function uniqueViolationConstraint(err: unknown): string | undefined {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (code === '23505') return typeof constraint === 'string' ? constraint : '';
  }
  return undefined;
}

/** PostgreSQL unique_violation, as raised by pg and PGlite alike. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
