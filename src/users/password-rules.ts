// The password rules (docs/compatibility.md §1.3), with Django's messages so that people and scripts see the
// texts the original showed. By default, in every profile, Django's four validators: similarity
// to the user's attributes, minimum length, common list, not all digits (the original's local
// profile had none, which let `12345678` through; a drop-in must not default to that).
// DJAM_PASSWORD_VALIDATION=relaxed keeps the minimum length only, e.g. for a demo install.
import { COMMON_PASSWORDS } from './common-passwords.ts';

/** The value of DJAM_PASSWORD_VALIDATION: `strict` (the default) or `relaxed`. */
type PasswordValidation = string;

export interface PasswordOwner { email?: string | null; username?: string | null; firstName?: string | null; lastName?: string | null }

const MIN_LENGTH = 8;
const MAX_SIMILARITY = 0.7;
// Django's UserAttributeSimilarityValidator: attribute and the verbose name its message uses.
const ATTRIBUTES = [['username', 'username'], ['firstName', 'first name'], ['lastName', 'last name'], ['email', 'email address']] as const;

/** difflib.SequenceMatcher.quick_ratio(): 2 × (characters in common, as multisets) / total length. */
function quickRatio(a: string, b: string): number {
  const counts = new Map<string, number>();
  for (const ch of b) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let matches = 0;
  for (const ch of a) {
    const left = counts.get(ch) ?? 0;
    if (left > 0) { matches += 1; counts.set(ch, left - 1); }
  }
  return a.length + b.length ? (2 * matches) / (a.length + b.length) : 1;
}

function similarAttribute(password: string, owner: PasswordOwner): string | undefined {
  const pw = password.toLowerCase();
  for (const [key, verboseName] of ATTRIBUTES) {
    const value = owner[key]?.toLowerCase();
    if (!value) continue;
    for (const part of [...value.split(/[^\p{L}\p{N}_]+/u), value]) {
      // Django skips parts too short to compare meaningfully against a much longer password.
      if (pw.length >= 10 * part.length && part.length < (MAX_SIMILARITY / 2) * pw.length) continue;
      if (quickRatio(pw, part) >= MAX_SIMILARITY) return verboseName;
    }
  }
  return undefined;
}

/** Every rule the password breaks, in Django's validator order; empty when it is acceptable. */
export function passwordProblems(validation: PasswordValidation, password: string, owner: PasswordOwner = {}): string[] {
  const isStrict = validation !== 'relaxed';
  const problems: string[] = [];
  const similar = isStrict ? similarAttribute(password, owner) : undefined;
  if (similar) problems.push(`The password is too similar to the ${similar}.`);
  if (password.length < MIN_LENGTH) problems.push(`This password is too short. It must contain at least ${MIN_LENGTH} characters.`);
  if (isStrict && COMMON_PASSWORDS.has(password.toLowerCase().trim())) problems.push('This password is too common.');
  if (isStrict && /^\d+$/.test(password)) problems.push('This password is entirely numeric.');
  // No sign-in door accepts a NUL (the database cannot store one in the e-mail, HTTP Basic and
  // form fields drop or refuse it): a password holding one could never be used.
  if (password.includes('\u0000')) problems.push('The password must not contain a NUL character.');
  return problems;
}
