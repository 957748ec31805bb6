// The privilege API's read-only team views (docs/compatibility.md §4.5) as the OpenAPI document describes them.
import { Type } from 'typebox';
import { detailResponse as detail, DRF_AUTH, DrfFormat } from '../http/route-docs.ts';

const Team = Type.Object({ id: Type.Integer(), name: Type.String() });
// Anonymous reads are allowed; a session or Basic credentials are read (and wrong ones refused).
const security = [{}, ...DRF_AUTH];
const badBasic = detail('Wrong Basic credentials.');
const throttled = detail('Basic credentials not checked: too many failed password checks (`Retry-After` says when to try again).');

export const teamListDocs = {
  tags: ['privileges'], operationId: 'groups_list', summary: 'Every team', security,
  querystring: Type.Object({ format: DrfFormat }),
  response: {
    200: { description: 'All teams, by id; not paginated. CSV (`?format=csv`): header `id,name`.', ...Type.Array(Team) },
    403: badBasic, 429: throttled,
  },
};

export const teamDocs = {
  tags: ['privileges'], operationId: 'groups_retrieve', summary: 'One team', security,
  params: Type.Object({ id: Type.Integer({ description: 'The team\'s id.' }) }),
  querystring: Type.Object({ format: DrfFormat }),
  response: { 200: { description: 'The team.', ...Team }, 403: badBasic, 404: detail('`Not found.`'), 429: throttled },
};
