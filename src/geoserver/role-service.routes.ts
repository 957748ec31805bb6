// GeoServer's REST role service (docs/compatibility.md §4.3): teams as roles, the admin role, and users with their
// teams. Paths without a trailing slash, as GeoServer is configured (with one: 404).
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { authenticateDrf, DRF, drfDetail, refusedBasic, type DrfAuth } from '../http/drf-auth.ts';
import { DEFAULT_FORMATS, negotiate, type Format } from '../http/drf-negotiation.ts';
import { ignoreRequestBodies, refuseOtherMethods } from '../http/drf-views.ts';
import { CSV_CONTENT_TYPE } from '../http/csv.ts';
import { documentedBy } from '../http/route-docs.ts';
import { listTeams, listUsersWithTeams } from '../privileges/index.ts';
import type { GeoServerRouteDeps } from './geoserver.deps.ts';
import { adminRoleDocs, rolesDocs, usersDocs } from './geoserver.schemas.ts';
import { findManagementKeyHolder } from './management-key.service.ts';

const BASE = '/api/privilege/geoserver';
const API_KEY = /^apikey\s+(\S+)\s*$/i;

/** DRF's CSV renderer writes nothing for a body that is not a list; these bodies never are. */
function render(reply: FastifyReply, format: Format, body: Record<string, unknown>) {
  return format === 'csv' ? reply.type(CSV_CONTENT_TYPE).send('') : reply.send(body);
}

/**
 * Staff by session cookie or Basic, as DRF's IsAdminUser; failing those, a management key of a
 * staff user in `Authorization: apiKey <key>`. Returns the refusal's `detail`, or undefined.
 */
async function staffRefusal(deps: GeoServerRouteDeps, request: FastifyRequest, auth: DrfAuth): Promise<string | undefined> {
  if (auth.kind === 'user') return auth.user.isStaff ? undefined : DRF.forbidden;
  const key = API_KEY.exec(request.headers.authorization ?? '')?.[1];
  if (!key) return DRF.notProvided;
  // Counted by the credential throttle, which throws RATE_LIMITED (DRF's Throttled) past its limit.
  const holder = await findManagementKeyHolder(deps, key, request.ip);
  // An unusable key reads as no credentials: the original ignored this header altogether.
  if (!holder) return DRF.notProvided;
  if (!holder.isStaff) return DRF.forbidden;
  deps.keyUsage.record(holder.keyId);
  return undefined;
}

export async function roleServiceRoutes(app: FastifyInstance, deps: GeoServerRouteDeps): Promise<void> {
  ignoreRequestBodies(app);
  type Handler = (request: FastifyRequest, reply: FastifyReply, ctx: { format: Format; auth: DrfAuth }) => Promise<unknown>;
  const view = (path: string, name: string, docs: FastifySchema, handler: Handler) => {
    app.get(`${BASE}/${path}`, documentedBy(docs), async (request, reply) => {
      const format = await negotiate(request, reply, DEFAULT_FORMATS);
      if (!format) return reply;
      // DRF authenticates on every view: wrong Basic credentials are refused even where none are needed.
      const auth = await authenticateDrf(deps, request);
      return refusedBasic(reply, auth) ?? handler(request, reply, { format, auth });
    });
    refuseOtherMethods(app, `${BASE}/${path}`, { name, formats: DEFAULT_FORMATS });
  };

  view('roles', 'Roles Geoserver', rolesDocs, async (_request, reply, { format }) =>
    render(reply, format, { groups: (await listTeams(deps)).map((t) => t.name) }));

  view('adminRole', 'Admin Role Geoserver', adminRoleDocs, async (_request, reply, { format }) => render(reply, format, { adminRole: 'admin' }));

  view('users', 'Users Geoserver', usersDocs, async (request, reply, { format, auth }) => {
    const refusal = await staffRefusal(deps, request, auth);
    if (refusal) return drfDetail(reply, 403, refusal);
    return render(reply, format, { users: await listUsersWithTeams(deps) });
  });
}
