// The admin API's signing keys (/api/admin/signing-keys): schemas.
import { Type } from 'typebox';
import { Nullable } from '../admin/schema-kit.ts';

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
