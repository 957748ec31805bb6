// CSV as Python's csv module writes it (DRF's CSV renderer): CRLF line ends, fields quoted
// only when they hold a comma, a quote or a line break, null as an empty field.
type Cell = string | number | boolean | null | undefined;

function cell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<Record<string, Cell>>): string {
  return [header, ...rows.map((row) => header.map((h) => row[h]))].map((line) => `${line.map(cell).join(',')}\r\n`).join('');
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
