// The query string every admin list endpoint shares: page, page_size, sort (`name` or `-name`,
// among the fields the resource allows) and search, with the filters a resource adds.
import { Type, type TProperties } from 'typebox';
import type { PageRequest } from '../db/paging.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface ListQuery { page?: number; page_size?: number; sort?: unknown; search?: string }

/** The querystring schema of a list: the shared paging fields, `sort` limited to `sortable`, and `filters`. */
export function listQuerySchema<F extends TProperties>(sortable: string[], filters: F = {} as F) {
  return Type.Object({
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1, description: 'Page number, from 1.' })),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: 'Items per page.' })),
    ...(sortable.length ? {
      sort: Type.Optional(Type.String({
        enum: sortable.flatMap((f) => [f, `-${f}`]), description: `Sort field, \`-\` first for descending: ${sortable.join(', ')}.`,
      })),
    } : {}),
    search: Type.Optional(Type.String({ maxLength: 200, description: 'Case-insensitive text search.' })),
    ...filters,
  });
}

export function toPageRequest(query: ListQuery): PageRequest {
  const search = query.search?.trim();
  return { page: query.page ?? 1, pageSize: query.page_size ?? DEFAULT_PAGE_SIZE, sort: typeof query.sort === 'string' ? query.sort : undefined, search: search || undefined };
}

/** `{ items, total, page, pageSize }` around an item schema. */
export function pageSchema<T extends Parameters<typeof Type.Array>[0]>(item: T) {
  return Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });
}
