// One page of a listing: what the admin API's list endpoints ask of a service, and answer.
import { asc, desc, type AnyColumn, type SQL } from 'drizzle-orm';

export interface PageRequest {
  page: number;
  pageSize: number;
  /** A sortable field name, `-` first for descending. */
  sort?: string;
  search?: string;
}

export interface Page<T> { items: T[]; total: number; page: number; pageSize: number }

/** ORDER BY for `sort` among `columns` (unknown names fall back), the id last so pages are stable. */
export function orderFor(sort: string | undefined, columns: Record<string, AnyColumn>, id: AnyColumn): SQL[] {
  const name = sort?.replace(/^-/, '');
  const column = name ? columns[name] : undefined;
  const first = column ? [sort!.startsWith('-') ? desc(column) : asc(column)] : [];
  return [...first, sort?.startsWith('-') && column ? desc(id) : asc(id)];
}

export function offsetOf(req: PageRequest): number {
  return (req.page - 1) * req.pageSize;
}

/** `%text%` for ILIKE with the pattern characters escaped. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
