// The query string every admin list endpoint shares: page, page_size, sort (`name` or `-name`,
// among the fields the resource allows) and search, with the filters a resource adds; and the
// whole numbers of admin paths and query strings.
import { Type, type TProperties, type TUnsafe } from 'typebox';
import type { PageRequest } from '../db/paging.ts';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;

/** PostgreSQL's `integer`: the largest id, and the largest page worth asking for. */
export const MAX_INT32 = 2147483647;

/**
 * A whole number from 1 to `maximum` written as plain decimal digits, in a path or a query string
 * (#17 item 13). The admin validator converts text with Number() and truncates, so `1.5`, `0x4`,
 * `4e0`, `+4`, ` 4` and `04` would each name an id. Here any other text matches the string branch,
 * which spares it the conversion, and the refinement then refuses whatever is not a number: plain
 * digits in range reach the handler as a number, everything else is a 400 with one message.
 */
export function decimalInteger(maximum: number, options: { description?: string; default?: number } = {}): TUnsafe<number> {
  const isInRange = (text: string) => /^[1-9][0-9]*$/.test(text) && Number(text) <= maximum;
  const number = Type.Integer({ minimum: 1, maximum });
  const otherText = Type.Refine(Type.String(), (text) => !isInRange(text));
  const message = `must be a whole number from 1 to ${maximum}, in plain decimal digits`;
  return Type.Unsafe<number>(Type.Refine(Type.Union([number, otherText], options), (value) => typeof value === 'number', () => message));
}

/**
 * The `pattern` of admin text (#17 review): PostgreSQL refuses NUL in text (a 500 once it reached
 * a query), and no name, e-mail address, URL or filter holds a C0 control character; a 400 instead.
 */
export const SINGLE_LINE = '^[^\\u0000-\\u001f]*$';
/** Free text (a description) keeps tabs and line breaks; the other C0 characters are refused. */
export const MULTI_LINE = '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f]*$';

/** A text filter of a list's query string. */
export function queryText(maxLength: number) {
  return Type.String({ maxLength, pattern: SINGLE_LINE });
}

export interface ListQuery { page?: number; page_size?: number; sort?: unknown; search?: string }

/** The querystring schema of a list: the shared paging fields, `sort` limited to `sortable`, and `filters`. */
export function listQuerySchema<F extends TProperties>(sortable: string[], filters: F = {} as F) {
  return Type.Object({
    page: Type.Optional(decimalInteger(MAX_INT32, { default: 1, description: 'Page number, from 1.' })),
    page_size: Type.Optional(decimalInteger(MAX_PAGE_SIZE, { default: DEFAULT_PAGE_SIZE, description: 'Items per page.' })),
    ...(sortable.length ? {
      sort: Type.Optional(Type.String({
        enum: sortable.flatMap((f) => [f, `-${f}`]), description: `Sort field, \`-\` first for descending: ${sortable.join(', ')}.`,
      })),
    } : {}),
    search: Type.Optional(Type.String({ maxLength: 200, pattern: SINGLE_LINE, description: 'Case-insensitive text search.' })),
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
