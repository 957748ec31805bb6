// Key values are UUIDs. Like the original (Python's uuid.UUID), a key is accepted in any
// spelling: hyphenated or 32 hex digits, in braces, with a `urn:uuid:` prefix, any case.
const HEX32 = /^[0-9a-f]{32}$/;
const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The canonical lower-case hyphenated form, or undefined when `input` is no UUID. */
export function canonicalKey(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > 64) return undefined;
  if (CANONICAL.test(input)) return input; // as issued: the spelling of nearly every check
  const hex = input.trim().toLowerCase().replace(/^urn:/, '').replace(/^uuid:/, '').replace(/^\{(.*)\}$/, '$1').replaceAll('-', '');
  if (!HEX32.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function isCanonicalKey(input: unknown): boolean {
  return typeof input === 'string' && CANONICAL.test(input);
}
