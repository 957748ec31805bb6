// The admin API's user records (/api/admin/users): request and response schemas, and the view that shapes a user.
import { Type } from 'typebox';
import { Nullable, DateTime, Email, Name150, Password, pageSchema } from '../admin/schema-kit.ts';
import { userRecord } from './user-record.ts';

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

export const userView = userRecord;
