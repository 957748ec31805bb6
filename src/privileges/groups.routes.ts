// The privilege API (docs/compatibility.md §4.5): a read-only DRF viewset over teams at /api/privilege/groups/, its
// router root, DRF's format suffixes (`groups.json`, `groups/1.csv`) and Django's APPEND_SLASH.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import type { CredentialThrottle } from '../users/index.ts';
import { authenticateDrf, DRF, drfDetail, refusedBasic } from '../http/drf-auth.ts';
import { DEFAULT_FORMATS, negotiate, type Format } from '../http/drf-negotiation.ts';
import { appendSlash, ignoreRequestBodies, methodNotAllowed, refuseOtherMethods } from '../http/drf-views.ts';
import { CSV_CONTENT_TYPE, toCsv } from '../http/csv.ts';
import { documentedBy } from '../http/route-docs.ts';
import { teamDocs, teamListDocs } from './groups.schemas.ts';
import { findTeam, listTeams } from './teams.service.ts';

interface Deps { config: Config; db: Db; keys: SecretKeys; throttle: CredentialThrottle }

const ROOT = '/api/privilege';
const LIST = `${ROOT}/groups`;
const SUFFIXES = ['json', 'api', 'csv'];
const MAX_SERIAL = 2 ** 31 - 1;
/** DRF's lookup and format-suffix patterns: `[^/.]+`, then an optional `.<format>`. */
const DETAIL = /^([^/.]+)(?:\.([a-z0-9]+))?$/;

function sendTeams(reply: FastifyReply, format: Format, teams: Array<{ id: number; name: string }>, many: boolean) {
  if (format === 'csv') return reply.type(CSV_CONTENT_TYPE).send(toCsv(['id', 'name'], teams));
  const rows = teams.map((t) => ({ id: t.id, name: t.name }));
  return reply.send(many ? rows : rows[0]);
}

/** The format to answer in after DRF's negotiation and authentication, or undefined once refused. */
async function admitRead(deps: Deps, request: FastifyRequest, reply: FastifyReply, suffix?: string): Promise<Format | undefined> {
  const format = await negotiate(request, reply, DEFAULT_FORMATS, suffix);
  if (!format) return undefined;
  const auth = await authenticateDrf(deps, request);
  if (auth.kind === 'user' || auth.kind === 'anonymous') return format;
  await refusedBasic(reply, auth);
  return undefined;
}

/**
 * DjangoModelPermissionsOrAnonReadOnly: anonymous writers are told to authenticate; only a
 * superuser holds the (never granted) model permissions and so reaches the 405.
 */
async function refuseWrite(deps: Deps, request: FastifyRequest, reply: FastifyReply) {
  const auth = await authenticateDrf(deps, request);
  if (auth.kind === 'anonymous') return drfDetail(reply, 403, DRF.notProvided);
  if (auth.kind !== 'user') return refusedBasic(reply, auth);
  return auth.user.isSuperuser ? methodNotAllowed(reply, request.method) : drfDetail(reply, 403, DRF.forbidden);
}

async function detail(deps: Deps, request: FastifyRequest, reply: FastifyReply, id: string, suffix?: string) {
  const format = await admitRead(deps, request, reply, suffix);
  if (!format) return reply;
  const n = /^[+-]?\d{1,10}$/.test(id.trim()) ? Number(id) : NaN;
  const team = n > 0 && n <= MAX_SERIAL ? await findTeam(deps, n) : undefined;
  if (!team) return reply.status(404).send({ detail: 'Not found.' });
  return sendTeams(reply, format, [team], false);
}

export async function groupsRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  ignoreRequestBodies(app);
  const onWrite = (request: FastifyRequest, reply: FastifyReply) => refuseWrite(deps, request, reply);
  const list = async (request: FastifyRequest, reply: FastifyReply, suffix?: string) => {
    const format = await admitRead(deps, request, reply, suffix);
    return format ? sendTeams(reply, format, await listTeams(deps), true) : reply;
  };

  appendSlash(app, ROOT);
  app.get(`${ROOT}/`, async (request, reply) => {
    const format = await admitRead(deps, request, reply);
    if (!format) return reply;
    const base = `${request.protocol}://${request.host}`;
    return format === 'csv' ? reply.type(CSV_CONTENT_TYPE).send('') : { groups: `${base}${LIST}/` };
  });
  refuseOtherMethods(app, `${ROOT}/`, { name: 'Api Root', formats: DEFAULT_FORMATS });

  appendSlash(app, LIST);
  app.get(`${LIST}/`, documentedBy(teamListDocs), (request, reply) => list(request, reply));
  refuseOtherMethods(app, `${LIST}/`, { name: 'Team List', formats: DEFAULT_FORMATS, onWrite });
  for (const suffix of SUFFIXES) {
    for (const url of [`${LIST}.${suffix}`, `${LIST}.${suffix}/`]) app.get(url, (request, reply) => list(request, reply, suffix));
  }

  app.get<{ Params: { id: string } }>(`${LIST}/:id/`, documentedBy(teamDocs), async (request, reply) => {
    const m = DETAIL.exec(request.params.id);
    return m ? detail(deps, request, reply, m[1], m[2]) : reply.callNotFound();
  });
  refuseOtherMethods(app, `${LIST}/:id/`, { name: 'Team Instance', formats: DEFAULT_FORMATS, onWrite });
  // Without the slash: a format suffix is a complete URL, anything else gets APPEND_SLASH.
  app.get<{ Params: { id: string } }>(`${LIST}/:id`, async (request, reply) => {
    const m = DETAIL.exec(request.params.id);
    if (!m) return reply.callNotFound();
    if (m[2]) return detail(deps, request, reply, m[1], m[2]);
    const q = request.url.indexOf('?');
    return reply.redirect(`${LIST}/${encodeURIComponent(request.params.id)}/${q < 0 ? '' : request.url.slice(q)}`, 301);
  });
}
