// The JSON conventions of the admin API's views: ISO dates and a page of records. Each capability
// shapes its own records beside its admin routes (e.g. users/users.admin-schemas.ts: snake_case,
// never a secret).

export function iso(d: Date | string): string;
export function iso(d: Date | string | null): string | null;
export function iso(d: Date | string | null): string | null {
  return d === null ? null : new Date(d).toISOString();
}

export function pageView<T, V>(page: { items: T[]; total: number; page: number; pageSize: number }, view: (item: T) => V) {
  return { items: page.items.map(view), total: page.total, page: page.page, pageSize: page.pageSize };
}
