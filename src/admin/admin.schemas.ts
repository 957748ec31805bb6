// TypeBox schemas of the admin API (/api/admin/*): they validate requests (a failure is a 400
// VALIDATION_FAILED naming the fields), shape responses and describe the API in the OpenAPI
// document. The console imports these types.
import { Type, type Static, type TSchema } from 'typebox';
import { decimalInteger, MAX_INT32, MULTI_LINE, pageSchema, SINGLE_LINE } from './list-query.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
/** The id in a path or query string: plain decimal digits (#17 item 13), a number for the handler. */
const PathId = decimalInteger(MAX_INT32);
export const IdParams = Type.Object({ id: PathId });
/** Text on one line: no C0 control character (#17 review: NUL would reach PostgreSQL, which refuses it). */
const Line = (options: { minLength?: number; maxLength: number; format?: string; description?: string }) => Type.String({ ...options, pattern: SINGLE_LINE });
const Email = Line({ format: 'email', minLength: 3, maxLength: 254 });
const Name150 = Line({ maxLength: 150 });
// Any character but NUL, which no sign-in door accepts in a password.
const Password = Type.String({ minLength: 1, maxLength: 4096, pattern: '^[^\\u0000]*$' });
/** `true`/`false` in a query string. */
export const QueryBool = Type.Optional(Type.Boolean());

export const ErrorBody = Type.Object({
  error: Type.String({ description: 'Code from the error catalogue, e.g. `USER_NOT_FOUND`.' }),
  message: Type.String({ description: 'For people.' }),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'For programs: `fields` (field → message), `failures`, ids.' })),
}, { $id: 'AdminError' });
const err = (description: string) => ({ description, ...Type.Ref('AdminError') });
/** Refusals every admin operation may answer. */
export const commonErrors = {
  400: err('Invalid input: `VALIDATION_FAILED` with `details.fields`.'),
  401: err('No session and no valid Bearer token: `UNAUTHENTICATED`.'),
  403: err('Not staff (`STAFF_REQUIRED`), superuser-only (`SUPERUSER_REQUIRED`), no `admin` scope (`FORBIDDEN`) or no X-CSRFToken (`CSRF_FAILED`).'),
  404: err('No such record.'),
};
export const NoContent = Type.Null({ description: 'Done.' });

// Users

export const UserView = Type.Object({
  id: Type.Integer(), email: Type.String(), username: Type.String(), first_name: Type.String(), last_name: Type.String(),
  is_active: Type.Boolean(), is_staff: Type.Boolean(), is_superuser: Type.Boolean(), email_confirmed: Type.Boolean(),
  date_joined: DateTime, last_login: Nullable(DateTime), has_usable_password: Type.Boolean(),
});
export const UserDetail = Type.Object({
  ...UserView.properties,
  teams: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
  roles: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() }), { description: 'Roles held directly (not through a team).' }),
  locked_until: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Until when password attempts for the account are refused (brute-force lock-out, from some client IP or everywhere); null: not locked.' }),
});
export const UnlockResult = Type.Object({
  was_locked_until: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'The lock-out just lifted; null: there was none.' }),
});
export const UserPage = pageSchema(UserView);
export const UserCreate = Type.Object({
  email: Email, password: Type.Optional(Password), first_name: Type.Optional(Name150), last_name: Type.Optional(Name150),
  is_active: Type.Optional(Type.Boolean()), is_staff: Type.Optional(Type.Boolean()), is_superuser: Type.Optional(Type.Boolean()),
  email_confirmed: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export const UserUpdate = Type.Object({
  email: Type.Optional(Email), first_name: Type.Optional(Name150), last_name: Type.Optional(Name150),
  is_active: Type.Optional(Type.Boolean()), is_staff: Type.Optional(Type.Boolean()), is_superuser: Type.Optional(Type.Boolean()),
  email_confirmed: Type.Optional(Type.Boolean()),
}, { additionalProperties: false, minProperties: 1 });
export const PasswordBody = Type.Object({ password: Password }, { additionalProperties: false });
export const TeamRef = Type.Object({ team_id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }, { additionalProperties: false });
export const RoleRef = Type.Object({ role_id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }, { additionalProperties: false });
export const UserRef = Type.Object({ user_id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }, { additionalProperties: false });
export const UserTeamParams = Type.Object({ id: PathId, teamId: PathId });
export const UserRoleParams = Type.Object({ id: PathId, roleId: PathId });
export const MemberParams = Type.Object({ id: PathId, userId: PathId });

// Teams and roles

// Something besides spaces, and no control character.
const NameBody = Type.String({ minLength: 1, maxLength: 150, pattern: '^(?=\\s*\\S)[^\\u0000-\\u001f]*$' });
export const TeamView = Type.Object({ id: Type.Integer(), name: Type.String(), created_at: DateTime, updated_at: DateTime });
export const TeamDetail = Type.Object({
  ...TeamView.properties,
  members: Type.Array(Type.Object({ id: Type.Integer(), email: Type.String() })),
  roles: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
});
export const TeamPage = pageSchema(TeamView);
export const NameInput = Type.Object({ name: NameBody }, { additionalProperties: false });
export const RoleView = Type.Object({ id: Type.Integer(), name: Type.String(), created_at: DateTime });
export const RoleDetail = Type.Object({ ...RoleView.properties, user_ids: Type.Array(Type.Integer()), team_ids: Type.Array(Type.Integer()) });
export const RolePage = pageSchema(RoleView);

// Resources and access rules

export const ResourceView = Type.Object({
  id: Type.Integer(), slug: Type.String(), url: Nullable(Type.String()), description: Nullable(Type.String()), type: Nullable(Type.String()),
  created_at: DateTime, updated_at: DateTime,
});
export const ResourcePage = pageSchema(ResourceView);
export const ResourceInput = Type.Object({
  slug: Line({ minLength: 1, maxLength: 50 }),
  url: Type.Optional(Nullable(Line({ maxLength: 2000 }))),
  description: Type.Optional(Nullable(Type.String({ maxLength: 10000, pattern: MULTI_LINE }))),
  type: Type.Optional(Nullable(Line({ maxLength: 100, description: '`Upstream Service` (proxied to `url`) or empty.' }))),
}, { additionalProperties: false });
export const AccessRuleView = Type.Object({ id: Type.Integer(), resource_id: Type.Integer(), role_id: Type.Integer(), active: Type.Boolean(), created_at: DateTime });
export const AccessRulePage = pageSchema(AccessRuleView);
const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
export const AccessRuleCreate = Type.Object({ resource_id: Id, role_id: Id, active: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export const AccessRuleUpdate = Type.Object({
  resource_id: Type.Optional(Id), role_id: Type.Optional(Id), active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false, minProperties: 1 });

// API keys

export const ApiKeyView = Type.Object({
  id: Type.Integer(), key_preview: Type.String({ description: 'The first characters of the key; the whole value is shown once, at creation.' }),
  user_id: Type.Integer(), user_email: Type.String(), scope: Type.String(), revoked: Type.Boolean(), expiry: DateTime,
  created_at: DateTime, last_modified: Nullable(DateTime), last_used_at: Nullable(DateTime),
});
export const ApiKeyPage = pageSchema(ApiKeyView);
const KeyScope = Type.String({ enum: ['resource', 'management'] });
export const ApiKeyCreate = Type.Object({
  user_id: Id, scope: KeyScope,
  expiry: Type.Optional(Type.String({ format: 'date-time', description: 'Default: 30 days from now.' })),
  revoked: Type.Optional(Type.Boolean()),
  key: Type.Optional(Type.String({ format: 'uuid', description: 'The value; a random UUID by default.' })),
}, { additionalProperties: false });
export const ApiKeyCreated = Type.Object({ ...ApiKeyView.properties, key: Type.String({ description: 'The value: shown this once.' }) });
export const ApiKeyUpdate = Type.Object({
  revoked: Type.Optional(Type.Boolean()), expiry: Type.Optional(Type.String({ format: 'date-time' })),
}, { additionalProperties: false, minProperties: 1 });
export const BulkRevoke = Type.Object({ ids: Type.Array(Id, { minItems: 1, maxItems: 1000, uniqueItems: true }) }, { additionalProperties: false });
export const BulkRevoked = Type.Object({ revoked: Type.Array(Type.Integer()) });

// Clients

export const ClientView = Type.Object({
  id: Type.Integer(), client_id: Type.String(), name: Type.String(), client_type: Type.String(),
  grant_types: Type.Array(Type.String()), response_types: Type.Array(Type.String()),
  redirect_uris: Type.Array(Type.String()), post_logout_redirect_uris: Type.Array(Type.String()),
  scope: Type.String(), jwt_alg: Type.String(), require_consent: Type.Boolean(), owner_id: Nullable(Type.Integer()),
  has_secret: Type.Boolean(), created_at: DateTime, updated_at: DateTime,
});
export const ClientPage = pageSchema(ClientView);
export const ClientInput = Type.Object({
  name: Line({ minLength: 1, maxLength: 100 }),
  client_type: Type.String({ enum: ['confidential', 'public'] }),
  grant_type: Type.String({ enum: ['authorization_code', 'client_credentials'] }),
  redirect_uris: Type.Optional(Type.Array(Line({ maxLength: 2000 }), { maxItems: 50 })),
  post_logout_redirect_uris: Type.Optional(Type.Array(Line({ maxLength: 2000 }), { maxItems: 50 })),
  scope: Type.Optional(Line({ maxLength: 2000, description: 'Space-separated; `admin` lets the client call this API.' })),
  require_consent: Type.Optional(Type.Boolean()),
  jwt_alg: Type.Optional(Type.String({ enum: ['RS256', 'HS256'] })),
}, { additionalProperties: false });
export const ClientCreated = Type.Object({ ...ClientView.properties, client_secret: Nullable(Type.String({ description: 'Shown this once; null for a public client.' })) });
export const ClientSecret = Type.Object({ client_id: Type.String(), client_secret: Type.String({ description: 'Shown this once.' }) });

// Login preventions

export const LoginPreventionView = Type.Object({
  id: Type.Integer(), client: Type.Integer({ description: 'Row id of the client.' }), client_id: Type.String(),
  team_ids: Type.Array(Type.Integer(), { description: 'Members of only these teams may not sign in to the client.' }), created_at: DateTime,
});
export const LoginPreventionPage = pageSchema(LoginPreventionView);
export const LoginPreventionCreate = Type.Object({
  client: Id, team_ids: Type.Array(Id, { maxItems: 1000, uniqueItems: true }),
}, { additionalProperties: false });
export const LoginPreventionUpdate = Type.Object({ team_ids: LoginPreventionCreate.properties.team_ids }, { additionalProperties: false });

// Jobs

export const JobView = Type.Object({
  id: Type.Integer(), type: Type.String(),
  summary: Type.Record(Type.String(), Type.String(), { description: 'Recipient and subject of a mail job; the payload itself (one-time links) is not shown.' }),
  status: Type.String(),
  attempts: Type.Integer(), max_attempts: Type.Integer(), run_at: DateTime, last_error: Nullable(Type.String()),
  created_at: DateTime, updated_at: DateTime,
});
export const JobPage = pageSchema(JobView);

// Signing keys

const SigningKeyState = Type.Union([Type.Literal('next'), Type.Literal('active'), Type.Literal('retiring'), Type.Literal('retired')], {
  description: 'next: published, signs from activates_at; active: signs; retiring: published until published_until; retired: gone from the JWKS, deleted soon.',
});
const SigningKeyView = Type.Object({
  kid: Type.String(), alg: Type.String(), state: SigningKeyState,
  created_at: Type.String({ format: 'date-time', description: 'Published in every node\'s JWKS since.' }),
  activates_at: Type.String({ format: 'date-time', description: 'Signs from then on (every node switches then).' }),
  signs_until: Nullable(Type.String({ format: 'date-time', description: 'When the next key takes over; null while none follows.' })),
  published_until: Nullable(Type.String({ format: 'date-time', description: 'Leaves the JWKS then: every token it signed has expired.' })),
});
export const SigningKeyList = Type.Object({ items: Type.Array(SigningKeyView) });
export const SigningKeyRotation = Type.Object({
  activate_now: Type.Optional(Type.Boolean({ description: 'Sign with the new key at once (an emergency: relying parties that cached the JWKS refetch it on the unknown kid); default: after DJAM_SIGNING_KEY_ACTIVATION_DELAY_SECONDS.' })),
}, { additionalProperties: false });
export const SigningKeyCreated = SigningKeyView;

// Audit log

export const AuditEntryView = Type.Object({
  id: Type.Integer(), actor_type: Type.String(), actor_id: Type.String(), actor_label: Type.String(), action: Type.String(),
  entity_type: Type.String(), entity_id: Nullable(Type.String()),
  before: Nullable(Type.Record(Type.String(), Type.Unknown())), after: Nullable(Type.Record(Type.String(), Type.Unknown())),
  created_at: DateTime,
});
export const AuditPage = pageSchema(AuditEntryView);

export type ClientInputBody = Static<typeof ClientInput>;
