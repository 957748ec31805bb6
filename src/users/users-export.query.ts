// The users export's query parameters (docs/compatibility.md §7), read as django-filter and DRF's paginator read
// them: bad datetimes are a 400 naming the parameter; bad page sizes fall back to the default.
import type { UserExportFilters } from './users-export.service.ts';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

const DATE_FILTERS = { older: 'older', older_equal: 'olderEqual', newer: 'newer', newer_equal: 'newerEqual' } as const;
// Django's parse_datetime (datetime.fromisoformat, then its own pattern); a bare date is midnight.
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d*)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A datetime in any ISO-8601 spelling Django accepts; without an offset it is UTC (TIME_ZONE). */
function parseIsoDateTime(value: string): Date | undefined {
  const m = ISO.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1, 7).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const ms = m[7] ? Number(m[7].padEnd(6, '0').slice(0, 3)) : 0;
  const back = new Date(0);
  back.setUTCFullYear(y, mo - 1, d); // not Date.UTC, which reads years 0–99 as 1900–1999
  back.setUTCHours(h, mi, s, ms);
  const utc = back.getTime();
  if (y < 1 || back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  const tz = m[8]?.toUpperCase();
  if (!tz || tz === 'Z') return back;
  const [, sign, hh, mm = '0'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(tz)!;
  const offsetMs = (Number(hh) * 60 + Number(mm)) * 60_000 * (sign === '+' ? 1 : -1);
  return new Date(utc - offsetMs);
}

/** Python's int() of a query value: optional sign and surrounding blanks, nothing else. */
function integer(value: string | undefined): number | undefined {
  return value !== undefined && /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : undefined;
}

const BOOLEANS: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

type ExportQuery =
  | { ok: true; filters: UserExportFilters; page: number | 'last'; pageSize: number }
  | { ok: false; errors: Record<string, string[]> };

export function parseExportQuery(get: (name: string) => string | undefined): ExportQuery {
  const filters: UserExportFilters = {};
  const errors: Record<string, string[]> = {};
  for (const [param, key] of Object.entries(DATE_FILTERS)) {
    const raw = get(param)?.trim();
    if (!raw) continue; // django-filter skips empty values
    const date = parseIsoDateTime(raw);
    if (date) filters[key] = date;
    else errors[param] = ['Enter a valid date/time.'];
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const teams = [...new Set((get('teams') ?? '').split(',').filter(Boolean))];
  if (teams.length) filters.teams = teams;
  const confirmed = BOOLEANS[(get('email_confirmation') ?? '').toLowerCase()];
  if (confirmed !== undefined) filters.emailConfirmed = confirmed;
  const rawPage = get('page');
  // Anything but a whole number or `last` is no page at all (Django: PageNotAnInteger → 404).
  const page = rawPage === undefined ? 1 : rawPage === 'last' ? rawPage : (integer(rawPage) ?? Number.NaN);
  const size = integer(get('page_size'));
  const pageSize = size !== undefined && size > 0 ? Math.min(size, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  return { ok: true, filters, page, pageSize };
}
