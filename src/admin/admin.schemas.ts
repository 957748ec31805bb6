// The pieces every admin API schema is built from, and the error body. Each capability keeps its
// own schemas beside its admin routes (e.g. users/users.admin-schemas.ts): they validate requests
// (a failure is a 400 VALIDATION_FAILED naming the fields), shape responses and describe the API in
// the OpenAPI document. The console imports their types.
import { Type, type TSchema } from 'typebox';
import { decimalInteger, MAX_INT32, SINGLE_LINE } from './list-query.ts';

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const DateTime = Type.String({ format: 'date-time' });
/** The id in a path or query string: plain decimal digits (#17 item 13), a number for the handler. */
export const PathId = decimalInteger(MAX_INT32);
export const IdParams = Type.Object({ id: PathId });
/** Text on one line: no C0 control character (#17 review: NUL would reach PostgreSQL, which refuses it). */
export const Line = (options: { minLength?: number; maxLength: number; format?: string; description?: string }) => Type.String({ ...options, pattern: SINGLE_LINE });
export const Email = Line({ format: 'email', minLength: 3, maxLength: 254 });
export const Name150 = Line({ maxLength: 150 });
// Any character but NUL, which no sign-in door accepts in a password.
export const Password = Type.String({ minLength: 1, maxLength: 4096, pattern: '^[^\\u0000]*$' });
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

/** A record's id in a JSON body. */
export const Id = Type.Integer({ minimum: 1, maximum: MAX_INT32 });
/** A name: something besides spaces, and no control character. */
export const NameBody = Type.String({ minLength: 1, maxLength: 150, pattern: '^(?=\\s*\\S)[^\\u0000-\\u001f]*$' });
/** References between records, in bodies and paths (a user's teams, a team's members, ...). */
export const TeamRef = Type.Object({ team_id: Type.Integer({ minimum: 1, maximum: MAX_INT32 }) }, { additionalProperties: false });
export const RoleRef = Type.Object({ role_id: Type.Integer({ minimum: 1, maximum: MAX_INT32 }) }, { additionalProperties: false });
export const UserRef = Type.Object({ user_id: Type.Integer({ minimum: 1, maximum: MAX_INT32 }) }, { additionalProperties: false });
export const UserTeamParams = Type.Object({ id: PathId, teamId: PathId });
export const UserRoleParams = Type.Object({ id: PathId, roleId: PathId });
export const MemberParams = Type.Object({ id: PathId, userId: PathId });
