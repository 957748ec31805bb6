// What every answer to a fuzzed request must look like (#18 §1): an answer (no reset), never a
// 5xx, `Allow` on a 405, and a 4xx in its route's shape.
import { rewriteProviderUrl } from '../../src/oidc/index.ts';
import type { NoAnswer, RawRequest, RawResponse } from './raw-http.ts';

/** Back-channel endpoints: RFC 6749 error JSON (`error`, `error_description`). */
const OAUTH_JSON = /^\/openid\/(token|introspect|revoke|request|userinfo)(?=\?|$)/;
const ADMIN_API = /^\/api\/admin\//;
/**
 * The original's DRF views (docs/compatibility.md §0.2): errors are `{"detail": …}` or field errors
 * `{"<field>": ["<message>", …]}` — GeoServer and key-API clients parse that, not DJAM's own shape.
 */
const DRF_JSON = /^\/(openid\/(authkey|credentials)\/introspect\/|openid\/introspect\/geoserver\/|openid\/api\/token\/|api\/privilege\/|public_api\/users\/)/;

/** Fastify's answer to a request Node cannot parse (before any route, e.g. 431): a plain 4xx. */
function isParserAnswer(res: RawResponse): boolean {
  return res.headers['content-type'] === undefined || /^\{"error":"[^"]*","message":"[^"]*","statusCode":4\d\d\}$/.test(res.body);
}

function json(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

function shapeProblem(req: RawRequest, res: RawResponse): string | undefined {
  if (res.status < 400 || res.status >= 500 || isParserAnswer(res) || req.method === 'HEAD') return undefined;
  const path = rewriteProviderUrl(req.target);
  const body = json(res.body);
  if (OAUTH_JSON.test(path) && res.status !== 404 && res.status !== 405) {
    if (typeof body?.error !== 'string' || typeof body.error_description !== 'string') return 'an OAuth endpoint answered without error/error_description';
  }
  if (ADMIN_API.test(path) && /json/.test(res.headers['content-type'] ?? '')) {
    if (typeof body?.error !== 'string' || typeof body.message !== 'string') return 'the admin API answered without error/message';
  }
  if (DRF_JSON.test(path) && /json/.test(res.headers['content-type'] ?? '') && !isDrfError(body)) return 'a DRF endpoint answered without detail or field errors';
  return undefined;
}

function isDrfError(body: Record<string, unknown> | undefined): boolean {
  if (!body) return false;
  // The credentials introspection's refusal is its own (docs/compatibility.md §4.2): `{"username":null,"groups":null}`.
  if (body.username === null && body.groups === null) return true;
  if (typeof body.detail === 'string') return true;
  const values = Object.values(body);
  return values.length > 0 && values.every((v) => Array.isArray(v) && v.every((m) => typeof m === 'string'));
}

/** Undefined when the answer is acceptable; otherwise what is wrong with it. */
export function judge(req: RawRequest, res: RawResponse | NoAnswer): string | undefined {
  if ('noAnswer' in res) return res.noAnswer;
  if (res.status >= 500) return `answered ${res.status}: ${res.body.slice(0, 200)}`;
  if (res.status === 405 && !res.headers.allow) return '405 without Allow';
  const problem = shapeProblem(req, res);
  return problem && `${problem}: ${res.status} ${res.body.slice(0, 200)}`;
}
