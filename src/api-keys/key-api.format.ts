// How the key API writes its answers (docs/compatibility.md §0.2): Django's JsonResponse spacing and ASCII
// escaping for the success bodies, and datetimes in UTC with milliseconds only when non-zero.

/** `2027-02-01T08:30:00Z`, or `2027-02-01T08:30:00.123Z` when there are milliseconds. */
export function formatApiDate(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

// json.dumps(ensure_ascii=True): every non-ASCII UTF-16 unit as \uXXXX.
function asciiJson(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** JSON with Python's default separators: `{"a": 1, "b": [2, 3]}`. */
export function spacedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(spacedJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${asciiJson(k)}: ${spacedJson(v)}`).join(', ')}}`;
  }
  return asciiJson(value);
}
