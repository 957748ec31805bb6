// GET /public_api/users/ (docs/compatibility.md §7): the staff-only users export, JSON pages in DRF's envelope or the
// current page as CSV; and the router root /public_api/.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { authenticateDrf, refusedBasic, requireStaff } from '../http/drf-auth.ts';
import { DEFAULT_FORMATS, negotiate } from '../http/drf-negotiation.ts';
import { appendSlash, ignoreRequestBodies, refuseOtherMethods } from '../http/drf-views.ts';
import { CSV_CONTENT_TYPE, toCsv } from '../http/csv.ts';
import { queryParam } from '../http/query-param.ts';
import { documentedBy } from '../http/route-docs.ts';
import type { CredentialThrottle } from './credential-throttle.ts';
import { exportUsersPage, type ExportedUser, type UserExportPage } from './users-export.service.ts';
import { parseExportQuery } from './users-export.query.ts';
import { usersExportDocs } from './users-export.schemas.ts';

interface Deps { config: Config; db: Db; keys: SecretKeys; throttle: CredentialThrottle }

const ROOT = '/public_api';
const USERS = `${ROOT}/users`;
const FIELDS = ['id', 'username', 'first_name', 'last_name', 'last_login', 'email'] as const;

/** DRF's DateTimeField: ISO 8601 in UTC with `Z`, microseconds only when there are any. */
function drfDateTime(date: Date | null): string | null {
  if (!date) return null;
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso.replace(/\.(\d{3})Z$/, '.$1000Z');
}

function serialise(u: ExportedUser) {
  return { id: u.id, username: u.username, first_name: u.firstName, last_name: u.lastName, last_login: drfDateTime(u.lastLogin), email: u.email };
}

/** DRF's page links: this URL with `page` replaced (removed for page 1), parameters sorted by name. */
function pageLink(request: FastifyRequest, page: number): string {
  const q = request.url.indexOf('?');
  const params = [...new URLSearchParams(q < 0 ? '' : request.url.slice(q + 1))].filter(([k]) => k !== 'page');
  if (page > 1) params.push(['page', String(page)]);
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = new URLSearchParams(params).toString();
  // Built from strings: a malformed Host header must not make URL parsing throw.
  return `${request.protocol}://${request.host}${USERS}/${query ? `?${query}` : ''}`;
}

function envelope(request: FastifyRequest, page: UserExportPage) {
  return {
    count: page.count,
    next: page.page < page.numPages ? pageLink(request, page.page + 1) : null,
    previous: page.page > 1 ? pageLink(request, page.page - 1) : null,
    results: page.users.map(serialise),
  };
}

export async function usersExportRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  ignoreRequestBodies(app);
  appendSlash(app, USERS);
  app.get(`${USERS}/`, documentedBy(usersExportDocs), async (request, reply) => {
    const format = await negotiate(request, reply, DEFAULT_FORMATS);
    if (!format || !(await requireStaff(deps, request, reply))) return reply;
    const query = parseExportQuery((name) => queryParam(request, name));
    if (!query.ok) return reply.status(400).send(query.errors);
    const page = await exportUsersPage(deps, query.filters, query.page, query.pageSize);
    if (!page) return reply.status(404).send({ detail: 'Invalid page.' });
    if (format === 'csv') return reply.type(CSV_CONTENT_TYPE).send(toCsv(FIELDS, page.users.map(serialise)));
    return envelope(request, page);
  });
  refuseOtherMethods(app, `${USERS}/`, { name: 'User List', formats: DEFAULT_FORMATS });

  // The router's root lists the endpoint; like every DRF root it needs no model permission.
  appendSlash(app, ROOT);
  app.get(`${ROOT}/`, async (request, reply) => {
    const format = await negotiate(request, reply, DEFAULT_FORMATS);
    if (!format) return reply;
    if (refusedBasic(reply, await authenticateDrf(deps, request))) return reply;
    return format === 'csv' ? reply.type(CSV_CONTENT_TYPE).send('') : { users: `${request.protocol}://${request.host}${USERS}/` };
  });
  refuseOtherMethods(app, `${ROOT}/`, { name: 'Api Root', formats: DEFAULT_FORMATS });
}
