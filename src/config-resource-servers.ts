// DJAM_OIDC_RESOURCE_SERVERS, parsed once when the configuration loads (config.ts reports its
// problems with the others). A JSON object naming each API (resource server) by its URI:
//   {"https://api.example/": {"scopes": "api:read api:write", "ttl": 600}}
// Beside config.ts, apart from oidc/resource-servers.ts: reading the configuration loads no
// capability (STYLE.md) and no oidc-provider (the `djam config` command needs no provider).

export interface ResourceServerSetting {
  /** The audience written into the tokens: the URI as configured. */
  audience: string;
  scopes: readonly string[];
  /** Access-token lifetime for this API; unset: DJAM_ACCESS_TOKEN_TTL_SECONDS. */
  ttl?: number;
}

/** Keyed by the normalised URI (URL href), so `https://api.example` and `https://api.example/` name one API. */
export type ResourceServers = Readonly<Record<string, ResourceServerSetting>>;

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 §3.3 scope-token characters
const FIELDS = new Set(['scopes', 'ttl']);

/** The key an identifier is looked up under; undefined when it is no absolute URI. */
function resourceKey(identifier: string): string | undefined {
  return URL.parse(identifier)?.href;
}

/** The configured API a `resource` parameter names, if any. */
export function findResourceServer(servers: ResourceServers, identifier: string): ResourceServerSetting | undefined {
  const key = resourceKey(identifier);
  return key === undefined ? undefined : servers[key];
}

function parseScopes(uri: string, value: unknown): string[] {
  const list = typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : value;
  if (!Array.isArray(list) || !list.length || !list.every((s) => typeof s === 'string' && SCOPE_TOKEN.test(s))) {
    throw new Error(`"${uri}": scopes must be a non-empty list of scope words (a space-separated string or an array)`);
  }
  return [...new Set(list as string[])];
}

function parseTtl(uri: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || (value as number) <= 0) throw new Error(`"${uri}": ttl must be a whole number of seconds above 0`);
  return value as number;
}

function parseServer(uri: string, value: unknown): ResourceServerSetting {
  // RFC 8707 §2: an absolute URI without a fragment.
  if (resourceKey(uri) === undefined || uri.includes('#')) throw new Error(`"${uri}" is not an absolute URI without a fragment`);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`"${uri}" must map to an object such as {"scopes": "api:read"}`);
  const unknown = Object.keys(value).filter((k) => !FIELDS.has(k));
  if (unknown.length) throw new Error(`"${uri}": unknown field ${unknown.join(', ')} (known: scopes, ttl)`);
  const { scopes, ttl } = value as Record<string, unknown>;
  return { audience: uri, scopes: parseScopes(uri, scopes), ttl: parseTtl(uri, ttl) };
}

/** Throws with a message naming the first problem; unset or blank is no resource server. */
export function parseResourceServers(raw: string | undefined): ResourceServers {
  if (!raw?.trim()) return Object.freeze({});
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('must be a JSON object such as {"https://api.example/": {"scopes": "api:read"}}');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('must be a JSON object keyed by resource URI');
  const out: Record<string, ResourceServerSetting> = {};
  for (const [uri, value] of Object.entries(parsed)) {
    const server = parseServer(uri, value);
    const key = resourceKey(uri)!;
    if (out[key]) throw new Error(`"${uri}" names the same resource as "${out[key].audience}"`);
    out[key] = Object.freeze(server);
  }
  return Object.freeze(out);
}
