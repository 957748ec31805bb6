// A tiny escaping template tag: every interpolated value is HTML-escaped unless it is already
// markup made by `html` itself (or explicitly wrapped with `raw`).
const SAFE = Symbol('safe-html');
export interface SafeHtml { [SAFE]: true; value: string }

export function raw(value: string): SafeHtml {
  return { [SAFE]: true, value };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'object' && SAFE in value) return (value as SafeHtml).value;
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  values.forEach((v, i) => { out += render(v) + strings[i + 1]; });
  return raw(out);
}
