// The users export (docs/compatibility.md §7) as the OpenAPI document describes it.
import { Type } from 'typebox';
import { detailResponse as detail, DRF_AUTH, DrfFormat } from '../http/route-docs.ts';

const lastLogin = (comparison: string) => Type.Optional(Type.String({
  format: 'date-time', description: `Users whose last login is ${comparison} this ISO-8601 datetime (never-logged-in users never match).`,
}));
const pageLink = Type.Union([Type.String({ format: 'uri' }), Type.Null()]);

const ExportedUser = Type.Object({
  id: Type.Integer(), username: Type.String(), first_name: Type.String(), last_name: Type.String(),
  last_login: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]), email: Type.String(),
});

export const usersExportDocs = {
  tags: ['users'], operationId: 'users_list', summary: 'Export users (staff only)', security: DRF_AUTH,
  description: 'Ordered by id. `?format=csv` (or `Accept: text/csv`) answers the current page as CSV with the header '
    + '`id,username,first_name,last_name,last_login,email`.',
  querystring: Type.Object({
    page: Type.Optional(Type.Integer({ minimum: 1, description: 'Page number, from 1.' })),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50, description: 'Larger values are clamped to 1000.' })),
    older: lastLogin('before'), older_equal: lastLogin('at or before'), newer: lastLogin('after'), newer_equal: lastLogin('at or after'),
    teams: Type.Optional(Type.String({ description: 'Members of any of these teams: comma-separated names, e.g. `pro,free`.' })),
    email_confirmation: Type.Optional(Type.String({ description: 'Whether the e-mail address is confirmed: `true`/`false` (also `1`/`0`).' })),
    format: DrfFormat,
  }),
  response: {
    200: {
      description: 'One page of users.',
      ...Type.Object({ count: Type.Integer(), next: pageLink, previous: pageLink, results: Type.Array(ExportedUser) }),
    },
    400: {
      description: 'An invalid datetime, named by its parameter: `{"newer": ["Enter a valid date/time."]}`.',
      ...Type.Object({}, { additionalProperties: Type.Array(Type.String()) }),
    },
    403: detail('No credentials, not staff, or wrong Basic credentials.'),
    404: detail('`Invalid page.`'),
    429: detail('Basic credentials not checked: too many failed password checks (`Retry-After` says when to try again).'),
  },
};
