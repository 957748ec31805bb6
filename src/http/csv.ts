// CSV as Python's csv module writes it (DRF's CSV renderer): CRLF line ends, fields quoted
// only when they hold a comma, a quote or a line break, null as an empty field.
type Cell = string | number | boolean | null | undefined;

// OWASP CSV injection: spreadsheets run a cell that starts with one of these as a formula (#17
// item 14). Such text leaves with a leading single quote, and quoted, so it reads as text.
// Numbers and booleans are written by the server itself and stay as they are.
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' && FORMULA_START.test(value)) return `"'${value.replaceAll('"', '""')}"`;
  const text = typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<Record<string, Cell>>): string {
  return [header, ...rows.map((row) => header.map((h) => row[h]))].map((line) => `${line.map(cell).join(',')}\r\n`).join('');
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
