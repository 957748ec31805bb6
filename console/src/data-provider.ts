// react-admin's DataProvider over /api/admin/*: page/perPage → page/page_size, sort → `field` or
// `-field` (only where the API allows it), the `q` filter → search, other filters passed through.
import type { DataProvider, GetListParams, Identifier, RaRecord } from 'react-admin';
import { api, queryString } from './http.ts';
import { apiResource, toRecord, type ApiResource } from './resource-config.ts';

type Json = Record<string, unknown>;
const MAX_PAGE_SIZE = 200;
interface Page { items: Json[]; total?: number }

function pick(data: Json, fields: string[] = []): Json {
  return Object.fromEntries(fields.filter((f) => data[f] !== undefined).map((f) => [f, data[f]]));
}

function sortParam(config: ApiResource, sort: GetListParams['sort']): string | undefined {
  if (!sort?.field) return undefined;
  const field = config.sortAliases?.[sort.field] ?? sort.field;
  if (!config.sortable.includes(field)) return undefined;
  return sort.order === 'DESC' ? `-${field}` : field;
}

function listQuery(config: ApiResource, params: Pick<GetListParams, 'pagination' | 'sort' | 'filter'>): string {
  const { q, ...filters } = (params.filter ?? {}) as Json;
  if (config.unpaged) return '';
  // The API pages at most MAX_PAGE_SIZE records (the lists turn react-admin's 1000-record CSV export off).
  const pageSize = params.pagination ? Math.min(params.pagination.perPage, MAX_PAGE_SIZE) : undefined;
  return queryString({
    page: params.pagination?.page, page_size: pageSize, sort: sortParam(config, params.sort), search: q, ...filters,
  });
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

async function getList(resource: string, params: Pick<GetListParams, 'pagination' | 'sort' | 'filter'>) {
  const config = apiResource(resource);
  const page = await api<Page>('GET', `${config.path}${listQuery(config, params)}`);
  const data = page.items.map((item) => toRecord(config, item));
  return { data, total: page.total ?? data.length };
}

async function getOne(resource: string, id: Identifier): Promise<RaRecord> {
  const config = apiResource(resource);
  if (config.unpaged) {
    const found = (await getList(resource, {})).data.find((r) => String(r.id) === String(id));
    if (!found) throw new Error('Not found');
    return found;
  }
  return toRecord(config, await api<Json>('GET', `${config.path}/${encodeURIComponent(id)}`));
}

export const dataProvider = {
  // JSON from the API: react-admin's generic record type is the caller's to choose, hence the casts.
  getList: async (resource, params) => {
    const { data, total } = await getList(resource, params);
    return { data: data as never[], total };
  },

  getOne: async (resource, params) => ({ data: await getOne(resource, params.id) as never }),

  // The API has no "these ids" query; the few records a page references are fetched one by one.
  getMany: async (resource, params) => ({ data: await Promise.all(params.ids.map((id) => getOne(resource, id))) as never[] }),

  getManyReference: async (resource, params) => {
    const { data, total } = await getList(resource, { ...params, filter: { ...params.filter, [params.target]: params.id } });
    return { data: data as never[], total };
  },

  create: async (resource, params) => {
    const config = apiResource(resource);
    const body = pick(config.toBody ? config.toBody(params.data) : params.data, config.createFields);
    const created = await api<Json>('POST', config.path, body);
    return { data: toRecord(config, config.onCreated ? config.onCreated(created) : created) as never };
  },

  update: async (resource, params) => {
    const config = apiResource(resource);
    const data = pick(config.toBody ? config.toBody(params.data) : params.data, config.updateFields);
    let body = data;
    if (config.update === 'PATCH') {
      const before = params.previousData ? (config.toBody ? config.toBody(params.previousData) : params.previousData) : {};
      body = Object.fromEntries(Object.entries(data).filter(([field, value]) => !same(value, before[field])));
      // Nothing changed: the API refuses an empty PATCH, and there is nothing to do.
      if (!Object.keys(body).length) return { data: params.previousData as never };
    }
    const updated = await api<Json>(config.update ?? 'PATCH', `${config.path}/${encodeURIComponent(params.id)}`, body);
    return { data: toRecord(config, updated) as never };
  },

  updateMany: async () => {
    throw new Error('Not supported: change records one by one.');
  },

  delete: async (resource, params) => {
    const config = apiResource(resource);
    await api('DELETE', `${config.path}/${encodeURIComponent(params.id)}`);
    return { data: (params.previousData ?? { id: params.id }) as never };
  },

  deleteMany: async (resource, params) => {
    const config = apiResource(resource);
    for (const id of params.ids) await api('DELETE', `${config.path}/${encodeURIComponent(id)}`);
    return { data: params.ids };
  },
} satisfies DataProvider;
