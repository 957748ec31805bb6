// Reading and checking the fields of the account forms, with Django's field messages (the
// texts the original's forms showed). A form's errors map a field name to its messages;
// services throw them as VALIDATION_FAILED and the routes re-render the form with them.
import { AppError } from '../errors.ts';

export type FieldErrors = Record<string, string[]>;
type Body = Record<string, unknown>;

/** Longest password accepted: enough for any passphrase, short enough that hashing stays cheap. */
export const MAX_PASSWORD_LENGTH = 4096;

const REQUIRED = 'This field is required.';
const INVALID_EMAIL = 'Enter a valid email address.';
const PASSWORD_MISMATCH = 'The two password fields didn’t match.';

/** A submitted text value; a repeated or missing field reads as empty. Django strips text fields, not passwords. */
export function readField(body: unknown, name: string, opts: { strip?: boolean } = {}): string {
  const value = (body as Body | undefined)?.[name];
  if (typeof value !== 'string') return '';
  return opts.strip === false ? value : value.trim();
}

export function addError(errors: FieldErrors, field: string, message: string): void {
  (errors[field] ??= []).push(message);
}

function tooLong(value: string, max: number): string | undefined {
  return value.length > max ? `Ensure this value has at most ${max} characters (it has ${value.length}).` : undefined;
}

/** Required text of at most `max` characters. */
export function checkText(errors: FieldErrors, field: string, value: string, max: number, opts: { required?: boolean } = {}): void {
  if (!value) {
    if (opts.required !== false) addError(errors, field, REQUIRED);
    return;
  }
  const long = tooLong(value, max);
  if (long) addError(errors, field, long);
}

// Django's EmailValidator, simplified: a dot-atom local part and a domain of DNS labels with a
// TLD (or `localhost`). Control characters and spaces never pass, so no header injection.
const LOCAL_PART = /^[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*$/i;
const DOMAIN = /^((?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+[A-Z0-9-]{2,63}|localhost)$/i;

function isValidEmail(value: string): boolean {
  const at = value.lastIndexOf('@');
  if (at < 1 || value.length > 254) return false;
  const domain = value.slice(at + 1);
  return LOCAL_PART.test(value.slice(0, at)) && DOMAIN.test(domain) && !domain.endsWith('-');
}

/** An e-mail address field (at most 254 characters, as the model's column). */
export function checkEmail(errors: FieldErrors, field: string, value: string, opts: { required?: boolean } = {}): void {
  if (!value) {
    if (opts.required !== false) addError(errors, field, REQUIRED);
    return;
  }
  const long = tooLong(value, 254);
  if (long) addError(errors, field, long);
  else if (!isValidEmail(value)) addError(errors, field, INVALID_EMAIL);
}

/** A form whose only field is a required `email`; throws VALIDATION_FAILED when it is not one. */
export function requireEmailField(email: string): void {
  const errors: FieldErrors = {};
  checkEmail(errors, 'email', email);
  throwIfInvalid(errors);
}

/** A pair of new-password fields: both required, bounded, equal. Rules of the profile come after. */
export function checkNewPasswords(errors: FieldErrors, names: [string, string], values: [string, string]): void {
  names.forEach((name, i) => checkText(errors, name, values[i], MAX_PASSWORD_LENGTH));
  if (!errors[names[0]] && !errors[names[1]] && values[0] !== values[1]) addError(errors, names[1], PASSWORD_MISMATCH);
}

export function throwIfInvalid(errors: FieldErrors): void {
  if (Object.keys(errors).length) throw new AppError('VALIDATION_FAILED', { details: { fields: errors } });
}

/** The field errors of a refused form (VALIDATION_FAILED, or the captcha's), undefined for any other error. */
export function fieldErrorsOf(err: unknown): FieldErrors | undefined {
  if (!(err instanceof AppError)) return undefined;
  if (err.code === 'CAPTCHA_FAILED') return { captcha: [err.message] };
  if (err.code !== 'VALIDATION_FAILED') return undefined;
  return (err.details?.fields as FieldErrors | undefined) ?? { __all__: [err.message] };
}
