// The GeoServer endpoints (docs/compatibility.md §4.1–4.4) as the OpenAPI document describes them. They describe;
// the handlers check, in the order that decides the statuses GeoServer sees.
import { Type } from 'typebox';
import { detailResponse as detail, DRF_AUTH, DrfFormat, NO_AUTH, type SecurityRequirements } from '../http/route-docs.ts';

const TAGS = ['geoserver'];
const email = Type.String({ description: 'The user\'s username (the e-mail address for normal users).' });
const noIdentity = (description: string) => ({
  description, ...Type.Object({ username: Type.Null(), groups: Type.Null() }, { example: { username: null, groups: null } }),
});
const notAcceptable = detail('The client accepts only `text/html`: these views answer JSON only.');
// docs/compatibility.md §12 item 6, #17 item 1: the original let anyone guess keys and passwords here without limit.
const throttled = detail('Too many failed password or key checks from this address (or for this account): `Retry-After` says when to try again, and nothing was checked.');
const jsonOnly = Type.Optional(Type.Literal('json', { description: 'The only renderer.' }));

export const authKeyIntrospectionDocs = {
  tags: TAGS, operationId: 'authkey_introspect', security: NO_AUTH,
  summary: 'The user a resource key belongs to (GeoServer\'s AuthKey web-service mapper)',
  querystring: Type.Object({ authkey: Type.String({ format: 'uuid', description: 'A valid resource key.' }), format: jsonOnly }),
  response: {
    200: {
      description: 'The key\'s owner; `groups` is one string, the team names joined with commas.',
      ...Type.Object({ username: email, groups: Type.Array(Type.String(), { minItems: 1, maxItems: 1 }) },
        { example: { username: 'alice@example.com', groups: ['team1,team2'] } }),
    },
    400: noIdentity('HTTPS required (DJAM_REQUIRE_SECURE_HTTP_FOR_GEOSERVER_INTROSPECTION).'),
    403: detail('Missing, unknown, revoked, expired or non-resource key; or wrong Basic credentials.'),
    406: notAcceptable, 429: throttled,
  },
};

export const credentialsIntrospectionDocs = {
  tags: TAGS, operationId: 'credentials_introspect', security: NO_AUTH,
  summary: 'Check a username and password (GeoServer\'s Basic-auth web service)',
  querystring: Type.Object({
    u: Type.String({ format: 'byte', description: 'Base64 of the username (exact, case-sensitive).' }),
    p: Type.String({ format: 'byte', description: 'Base64 of the password.' }),
    format: jsonOnly,
  }),
  response: {
    200: {
      description: 'The user and the names of their teams.',
      ...Type.Object({ username: email, groups: Type.Array(Type.String()) }, { example: { username: 'alice@example.com', groups: ['team1', 'team2'] } }),
    },
    400: noIdentity('`u` or `p` missing or not Base64 of ASCII text; or HTTPS required.'),
    401: noIdentity('Wrong password, or an inactive user.'),
    403: detail('Wrong Basic credentials on the request itself.'),
    404: noIdentity('No user with that username.'),
    406: notAcceptable, 429: throttled,
  },
};

export const tokenIntrospectionDocs = {
  tags: TAGS, operationId: 'geoserver_token_introspect',
  summary: 'Introspect an access token for GeoServer (GeoNode style)',
  description: 'Client credentials as HTTP Basic or as the form fields `client_id` and `client_secret`; the client needs the '
    + '`token_introspection` scope and the token\'s client among its audience. Any failure answers `{"active": false}`.',
  security: [{ basicAuth: [] }, {}] as SecurityRequirements,
  consumes: ['application/x-www-form-urlencoded'],
  body: Type.Object({
    token: Type.String({ description: 'The access token.' }),
    client_id: Type.Optional(Type.String()), client_secret: Type.Optional(Type.String()),
  }),
  response: {
    200: {
      description: 'The token\'s user, or `{"active": false}`.',
      ...Type.Object({
        active: Type.Boolean(), client_id: Type.Optional(Type.String()), username: Type.Optional(email), issued_to: Type.Optional(email),
        email: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Present when the token has the `email` scope.' })),
        access_token: Type.Optional(Type.String()), access_type: Type.Optional(Type.Literal('online')),
      }),
    },
    400: { description: 'HTTPS required.', ...Type.Object({ error: Type.Literal('HTTPS required') }) },
    429: {
      description: 'Too many failed client authentications from this address: `Retry-After` says when to try again.',
      ...Type.Object({ error: Type.Literal('slow_down'), error_description: Type.String() }),
    },
  },
};

interface RoleServiceView { operationId: string; summary: string; description?: string; security: SecurityRequirements; forbidden: string }

const roleService = (view: RoleServiceView, ok: object) => ({
  tags: TAGS, operationId: view.operationId, summary: view.summary, description: view.description, security: view.security,
  querystring: Type.Object({ format: DrfFormat }),
  response: { 200: ok, 403: detail(view.forbidden), 429: throttled },
});

export const rolesDocs = roleService(
  { operationId: 'geoserver_roles', summary: 'Every team name, as GeoServer roles', security: NO_AUTH, forbidden: 'Wrong Basic credentials.' },
  { description: 'Team names in team-id order.', ...Type.Object({ groups: Type.Array(Type.String()) }, { example: { groups: ['team1', 'team2', 'empty'] } }) },
);

export const adminRoleDocs = roleService(
  { operationId: 'geoserver_admin_role', summary: 'GeoServer\'s administrator role', security: NO_AUTH, forbidden: 'Wrong Basic credentials.' },
  { description: 'Always `admin`.', ...Type.Object({ adminRole: Type.Literal('admin') }) },
);

export const usersDocs = roleService({
  operationId: 'geoserver_users', summary: 'Users with at least one team, and their team names (staff only)', security: DRF_AUTH,
  description: 'A staff user by session cookie or HTTP Basic; or `Authorization: apiKey <management key of a staff user>`.',
  forbidden: 'No credentials, not staff, or wrong Basic credentials.',
}, {
  description: 'For GeoServer\'s JSONPath `$.users[?(@.username==\'${username}\')].groups`.',
  ...Type.Object({ users: Type.Array(Type.Object({ username: email, groups: Type.Array(Type.String()) })) },
    { example: { users: [{ username: 'alice@example.com', groups: ['team1', 'team2'] }] } }),
});
