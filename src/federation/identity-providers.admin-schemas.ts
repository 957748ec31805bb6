// The admin API's identity providers (/api/admin/identity-providers, #23): schemas and the view.
// The client secret is written, never read back.
import { Type } from 'typebox';
import { DateTime, Line, Nullable, Name150, pageSchema, iso } from '../admin/schema-kit.ts';
import { SLUG_PATTERN, type IdentityProvider } from './providers.service.ts';

const Mapping = Type.Object({
  value: Line({ minLength: 1, maxLength: 255, description: 'A value of the group claim.' }),
  team: Line({ minLength: 1, maxLength: 150, description: 'The DJAM team its holders are put in (made when missing).' }),
}, { additionalProperties: false });

const fields = {
  name: Name150,
  issuer: Line({ minLength: 8, maxLength: 2000, description: 'The upstream\'s issuer: DJAM reads <issuer>/.well-known/openid-configuration.' }),
  client_id: Line({ minLength: 1, maxLength: 255 }),
  scope: Line({ minLength: 6, maxLength: 500, description: 'Scopes asked for (default "openid email profile").' }),
  group_claim: Nullable(Line({ maxLength: 100, description: 'The claim holding the user\'s groups (e.g. groups, roles).' })),
  mappings: Type.Array(Mapping, { maxItems: 500 }),
  jit: Type.Boolean({ description: 'Create a user at their first sign-in (default true).' }),
  trust_email: Type.Boolean({ description: 'Believe the upstream\'s email_verified (needed for just-in-time creation).' }),
  allowed_domains: Type.Array(Line({ minLength: 1, maxLength: 253 }), { maxItems: 100, description: 'E-mail domains allowed to sign in (empty: any).' }),
  end_upstream_session: Type.Boolean({ description: 'Signing out also ends the upstream session, when it advertises an end-session endpoint.' }),
  enabled: Type.Boolean(),
};

export const IdentityProviderView = Type.Object({
  id: Type.Integer(), slug: Type.String(), ...fields, group_claim: Nullable(Type.String()),
  login_url: Type.String({ description: 'Where a sign-in through this provider starts.' }),
  callback_url: Type.String({ description: 'The redirect URI to register at the upstream.' }),
  created_at: DateTime, updated_at: DateTime,
});
export const IdentityProviderPage = pageSchema(IdentityProviderView);

export const IdentityProviderCreate = Type.Object({
  slug: Type.String({ pattern: SLUG_PATTERN, description: 'Lower-case letters, digits and dashes: the URL of its sign-in.' }),
  client_secret: Line({ minLength: 1, maxLength: 1000 }),
  preset: Type.Optional(Type.Union([Type.Literal('github'), Type.Literal('google')], {
    description: 'github: plain OAuth 2.0 (the user from the GitHub API, subject = the numeric id); google: OpenID Connect at https://accounts.google.com. Sets the issuer, and the scope and name unless given.',
  })),
  issuer: Type.Optional(fields.issuer), client_id: fields.client_id,
  ...Object.fromEntries(Object.entries(fields).filter(([k]) => !['issuer', 'client_id'].includes(k)).map(([k, v]) => [k, Type.Optional(v)])) as {
    [K in Exclude<keyof typeof fields, 'issuer' | 'client_id'>]: ReturnType<typeof Type.Optional<(typeof fields)[K]>>
  },
}, { additionalProperties: false });

export const IdentityProviderUpdate = Type.Partial(Type.Object({ ...fields, client_secret: IdentityProviderCreate.properties.client_secret }), { additionalProperties: false });

export const identityProviderView = (baseUrl: string, p: IdentityProvider) => ({
  id: p.id, slug: p.slug, name: p.name, issuer: p.issuer, client_id: p.clientId, scope: p.scope, group_claim: p.groupClaim,
  mappings: p.mappings, jit: p.allowJit, trust_email: p.trustEmail, allowed_domains: p.allowedDomains,
  end_upstream_session: p.endUpstreamSession, enabled: p.isEnabled,
  login_url: `${baseUrl}/accounts/idp/${p.slug}/login/`, callback_url: `${baseUrl}/accounts/idp/${p.slug}/callback/`,
  created_at: iso(p.createdAt), updated_at: iso(p.updatedAt),
});
