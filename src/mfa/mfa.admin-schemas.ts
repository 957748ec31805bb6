// The admin API's view of a user's second factors and of a team's MFA requirement (#22).
import { Type } from 'typebox';
import { DateTime, Nullable } from '../admin/schema-kit.ts';
import type { Factor } from './factors.service.ts';

const FactorView = Type.Object({
  id: Type.Integer(), kind: Type.Union([Type.Literal('totp'), Type.Literal('passkey')]), name: Type.String(),
  created_at: DateTime, last_used_at: Nullable(DateTime),
});
export const UserMfa = Type.Object({
  factors: Type.Array(FactorView),
  unused_recovery_codes: Type.Integer(),
  required: Type.Boolean({ description: 'DJAM_MFA_REQUIRED or one of the user\'s teams asks this user for a second factor.' }),
});
export const ResetResult = Type.Object({ removed_factors: Type.Integer() });
export const TeamMfa = Type.Object({ requires_mfa: Type.Boolean() }, { additionalProperties: false });

export function factorView(f: Factor) {
  return { id: f.id, kind: f.kind, name: f.name, created_at: f.createdAt.toISOString(), last_used_at: f.lastUsedAt?.toISOString() ?? null };
}
