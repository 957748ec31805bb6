// How each react-admin resource maps onto its /api/admin route: the fields the list may sort by
// (the API refuses others), the fields a create or an update may send (the API refuses unknown
// ones), PATCH (changed fields only) or PUT (the whole record), and the secrets a create returns.
import type { RaRecord } from 'react-admin';
import type { ApiKeyWithValue, ClientWithSecret } from './api-types.ts';
import { announceSecret } from './one-time-secret-store.ts';

type Json = Record<string, unknown>;

export interface ApiResource {
  path: string;
  /** Sortable fields; a column named differently maps through `sortAliases`. */
  sortable: string[];
  sortAliases?: Record<string, string>;
  createFields?: string[];
  updateFields?: string[];
  update?: 'PATCH' | 'PUT';
  /** The record's identity when it is not `id`. */
  idField?: string;
  /** The list answers `{ items }` without paging. */
  unpaged?: boolean;
  toRecord?: (raw: Json) => Json;
  toBody?: (data: Json) => Json;
  /** Takes a one-time secret out of a create's answer. */
  onCreated?: (raw: Json) => Json;
}

const lines = (value: unknown): string[] | undefined => {
  if (Array.isArray(value)) return value.map(String).map((s) => s.trim()).filter(Boolean);
  if (typeof value === 'string') return value.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
  return undefined;
};
const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const nullToEmpty = (value: unknown) => value ?? '';
/** To the minute, as the date-time input shows it, so an untouched expiry compares equal and is not sent. */
function isoMinuteOrUndefined(value: unknown): string | undefined {
  if (!(value instanceof Date) && !(typeof value === 'string' && value)) return undefined;
  const date = new Date(value);
  date.setSeconds(0, 0);
  return date.toISOString();
}

const userBody = (d: Json): Json => ({
  ...d, first_name: nullToEmpty(d.first_name), last_name: nullToEmpty(d.last_name), password: blankToUndefined(d.password ?? undefined),
});

const clientBody = (d: Json): Json => ({
  ...d, redirect_uris: lines(d.redirect_uris) ?? [], post_logout_redirect_uris: lines(d.post_logout_redirect_uris) ?? [],
  scope: blankToUndefined(d.scope ?? undefined),
});

const apiResources: Record<string, ApiResource> = {
  users: {
    path: '/users', sortable: ['id', 'email', 'first_name', 'last_name', 'date_joined', 'last_login'],
    createFields: ['email', 'password', 'first_name', 'last_name', 'is_active', 'is_staff', 'is_superuser', 'email_confirmed'],
    updateFields: ['email', 'first_name', 'last_name', 'is_active', 'is_staff', 'is_superuser', 'email_confirmed'],
    update: 'PATCH', toBody: userBody,
  },
  teams: { path: '/teams', sortable: ['id', 'name', 'created_at'], createFields: ['name'], updateFields: ['name'], update: 'PATCH' },
  roles: { path: '/roles', sortable: ['id', 'name', 'created_at'], createFields: ['name'], updateFields: ['name'], update: 'PATCH' },
  resources: {
    path: '/resources', sortable: ['id', 'slug', 'created_at'],
    createFields: ['slug', 'url', 'description', 'type'], updateFields: ['slug', 'url', 'description', 'type'], update: 'PUT',
  },
  'access-rules': {
    path: '/access-rules', sortable: ['id', 'created_at'],
    createFields: ['resource_id', 'role_id', 'active'], updateFields: ['resource_id', 'role_id', 'active'], update: 'PATCH',
  },
  'api-keys': {
    path: '/api-keys', sortable: ['expiry', 'created_at', 'scope'], sortAliases: { user_email: 'user' },
    createFields: ['user_id', 'scope', 'expiry', 'revoked'], updateFields: ['revoked', 'expiry'], update: 'PATCH',
    toBody: (d) => ({ ...d, expiry: isoMinuteOrUndefined(d.expiry) }),
    onCreated: (raw) => {
      const { key, ...record } = raw as unknown as ApiKeyWithValue;
      announceSecret({
        title: 'API key created', label: 'API key', value: key,
        facts: [{ label: 'Owner', value: record.user_email }, { label: 'Scope', value: record.scope }],
      });
      return record;
    },
  },
  clients: {
    path: '/clients', sortable: ['id', 'name', 'client_id', 'created_at'],
    createFields: ['name', 'client_type', 'grant_type', 'redirect_uris', 'post_logout_redirect_uris', 'scope', 'require_consent', 'jwt_alg'],
    updateFields: ['name', 'client_type', 'grant_type', 'redirect_uris', 'post_logout_redirect_uris', 'scope', 'require_consent', 'jwt_alg'],
    update: 'PUT', toBody: clientBody,
    // The API takes one grant type and stores the list it implies (authorization code brings refresh_token).
    toRecord: (raw) => ({ ...raw, grant_type: (raw.grant_types as string[]).includes('client_credentials') ? 'client_credentials' : 'authorization_code' }),
    onCreated: (raw) => {
      const { client_secret: secret, ...record } = raw as unknown as ClientWithSecret;
      if (secret) {
        announceSecret({ title: 'Client created', label: 'Client secret', value: secret, facts: [{ label: 'Client ID', value: record.client_id }] });
      }
      return record;
    },
  },
  'login-preventions': {
    path: '/login-preventions', sortable: ['id', 'client_id'], createFields: ['client', 'team_ids'], updateFields: ['team_ids'], update: 'PUT',
  },
  jobs: { path: '/jobs', sortable: ['id', 'run_at', 'updated_at'] },
  'signing-keys': { path: '/signing-keys', sortable: [], idField: 'kid', unpaged: true },
  'audit-log': { path: '/audit-log', sortable: [] },
};

export function apiResource(resource: string): ApiResource {
  const found = apiResources[resource];
  if (!found) throw new Error(`Unknown resource ${resource}`);
  return found;
}

/** The API's record as react-admin sees it: with an `id`, and the resource's own reshaping. */
export function toRecord(config: ApiResource, raw: Json): RaRecord {
  const shaped = config.toRecord ? config.toRecord(raw) : raw;
  return { ...shaped, id: (config.idField ? shaped[config.idField] : shaped.id) as RaRecord['id'] };
}
