// Upstream OpenID Connect providers (#23): the rows an administrator registers, each change made
// through the policy and audited. The client secret is sealed (crypto/keys.ts) and never read
// back through the API; only the sign-in flow unseals it.
import { asc, eq } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { identityProviders } from '../db/schema.ts';
import { seal, unseal, type SecretKeys } from '../crypto/keys.ts';
import { assertMay, audited, type Actor } from '../access/index.ts';
import { AppError, isUniqueViolation } from '../errors.ts';

export type IdentityProvider = typeof identityProviders.$inferSelect;

/** GitHub's issuer as DJAM stores it: plain OAuth 2.0, no discovery (upstream-client.ts knows its endpoints). */
export const GITHUB_ISSUER = 'https://github.com';

/**
 * Presets (#23): what an administrator would otherwise type. GitHub is plain OAuth 2.0 (the user
 * from its API); Google is OpenID Connect by its issuer, like any other.
 */
const PRESETS = {
  github: { issuer: GITHUB_ISSUER, scope: 'read:user user:email', name: 'GitHub' },
  google: { issuer: 'https://accounts.google.com', scope: 'openid email profile', name: 'Google' },
} as const;
export type Preset = keyof typeof PRESETS;
export const isPreset = (v: unknown): v is Preset => typeof v === 'string' && Object.hasOwn(PRESETS, v);
export interface TeamMapping { value: string; team: string }

export interface IdentityProviderInput {
  /** The preset's issuer, scope and name, each unless given; an issuer other than the preset's is refused. */
  preset?: Preset;
  slug: string; issuer: string; clientId: string; clientSecret: string;
  name?: string; scope?: string; groupClaim?: string | null; mappings?: TeamMapping[];
  allowJit?: boolean; trustEmail?: boolean; allowedDomains?: string[]; endUpstreamSession?: boolean; isEnabled?: boolean;
}
export type IdentityProviderChange = Partial<Omit<IdentityProviderInput, 'slug' | 'preset'>>;

interface Deps { db: Db; keys: SecretKeys; config: Config }

export const SLUG_PATTERN = '^[a-z0-9][a-z0-9-]{0,49}$';

/** The issuer as a URL DJAM will call: https, or http where the deployment allows it. */
function checkedIssuer(config: Config, issuer: string): string {
  const url = URL.parse(issuer);
  const allowed = url && !url.username && !url.password && !url.search && !url.hash
    && (url.protocol === 'https:' || (url.protocol === 'http:' && config.DJAM_IDP_ALLOW_HTTP));
  if (!allowed) throw new AppError('IDP_ISSUER_REFUSED', { details: { fields: { issuer: 'An https URL without query, fragment or credentials.' } } });
  return issuer.replace(/\/+$/, '') || issuer;
}

const domainsOf = (domains: string[] | undefined) => domains?.map((d) => d.trim().toLowerCase().replace(/^@/, '')).filter(Boolean);

/** The provider as the audit log and the API show it: everything but the secret. */
function publicFields(p: IdentityProvider) {
  const { clientSecretSealed: _sealed, ...rest } = p;
  return rest;
}

export async function listIdentityProviders(deps: { db: Db }, opts: { enabledOnly?: boolean } = {}): Promise<IdentityProvider[]> {
  const rows = await deps.db.select().from(identityProviders).orderBy(asc(identityProviders.name), asc(identityProviders.id));
  return opts.enabledOnly ? rows.filter((r) => r.isEnabled) : rows;
}

/** The sign-in page's buttons: one per enabled upstream. */
export async function listSignInButtons(deps: { db: Db }): Promise<Array<{ slug: string; name: string }>> {
  return (await listIdentityProviders(deps, { enabledOnly: true })).map((p) => ({ slug: p.slug, name: p.name }));
}

export async function getIdentityProvider(deps: { db: Db }, id: number): Promise<IdentityProvider> {
  const [row] = await deps.db.select().from(identityProviders).where(eq(identityProviders.id, id)).limit(1);
  if (!row) throw new AppError('IDP_NOT_FOUND', { details: { id } });
  return row;
}

export async function findIdentityProviderBySlug(deps: { db: Db }, slug: string): Promise<IdentityProvider | undefined> {
  if (!new RegExp(SLUG_PATTERN).test(slug)) return undefined;
  const [row] = await deps.db.select().from(identityProviders).where(eq(identityProviders.slug, slug)).limit(1);
  return row;
}

export function clientSecretOf(keys: SecretKeys, p: IdentityProvider): string {
  return unseal(keys, p.clientSecretSealed);
}

export async function createIdentityProviderAs(deps: Deps, actor: Actor, input: IdentityProviderInput): Promise<IdentityProvider> {
  assertMay(actor, 'identity-providers.manage');
  if (!new RegExp(SLUG_PATTERN).test(input.slug)) throw new AppError('VALIDATION_FAILED', { details: { fields: { slug: 'Lower-case letters, digits and dashes, at most 50.' } } });
  const preset = input.preset ? PRESETS[input.preset] : undefined;
  if (preset && input.issuer && checkedIssuer(deps.config, input.issuer) !== preset.issuer) {
    throw new AppError('VALIDATION_FAILED', { details: { fields: { issuer: `The ${input.preset} preset's issuer is ${preset.issuer}: leave it out.` } } });
  }
  const issuer = preset ? preset.issuer : checkedIssuer(deps.config, input.issuer);
  try {
    return await audited(deps.db, actor, async (tx) => {
      const [row] = await tx.insert(identityProviders).values({
        slug: input.slug, name: input.name?.trim() || preset?.name || input.slug, issuer, clientId: input.clientId, clientSecretSealed: seal(deps.keys, input.clientSecret),
        scope: input.scope ?? preset?.scope ?? 'openid email profile', groupClaim: input.groupClaim || null, mappings: input.mappings ?? [],
        allowJit: input.allowJit ?? true, trustEmail: input.trustEmail ?? false, allowedDomains: domainsOf(input.allowedDomains) ?? [],
        endUpstreamSession: input.endUpstreamSession ?? false, isEnabled: input.isEnabled ?? true,
      }).returning();
      return { action: 'identity-provider.create', entityType: 'identity-provider', entityId: row.id, after: publicFields(row), result: row };
    });
  } catch (cause) {
    if (isUniqueViolation(cause)) throw new AppError('IDP_SLUG_TAKEN', { details: { fields: { slug: 'Taken.' } }, cause });
    throw cause;
  }
}

export async function updateIdentityProviderAs(deps: Deps, actor: Actor, id: number, change: IdentityProviderChange): Promise<IdentityProvider> {
  assertMay(actor, 'identity-providers.manage');
  const before = await getIdentityProvider(deps, id);
  const set: Partial<typeof identityProviders.$inferInsert> = { updatedAt: new Date() };
  if (change.issuer !== undefined) set.issuer = checkedIssuer(deps.config, change.issuer);
  if (change.clientId !== undefined) set.clientId = change.clientId;
  if (change.clientSecret !== undefined) set.clientSecretSealed = seal(deps.keys, change.clientSecret);
  if (change.name !== undefined) set.name = change.name.trim() || before.slug;
  if (change.scope !== undefined) set.scope = change.scope;
  if (change.groupClaim !== undefined) set.groupClaim = change.groupClaim || null;
  if (change.mappings !== undefined) set.mappings = change.mappings;
  if (change.allowJit !== undefined) set.allowJit = change.allowJit;
  if (change.trustEmail !== undefined) set.trustEmail = change.trustEmail;
  if (change.allowedDomains !== undefined) set.allowedDomains = domainsOf(change.allowedDomains)!;
  if (change.endUpstreamSession !== undefined) set.endUpstreamSession = change.endUpstreamSession;
  if (change.isEnabled !== undefined) set.isEnabled = change.isEnabled;
  return audited(deps.db, actor, async (tx) => {
    const [row] = await tx.update(identityProviders).set(set).where(eq(identityProviders.id, id)).returning();
    return { action: 'identity-provider.update', entityType: 'identity-provider', entityId: id, before: publicFields(before), after: publicFields(row), result: row };
  });
}

export async function deleteIdentityProviderAs(deps: Deps, actor: Actor, id: number): Promise<void> {
  assertMay(actor, 'identity-providers.manage');
  const before = await getIdentityProvider(deps, id);
  await audited(deps.db, actor, async (tx) => {
    await tx.delete(identityProviders).where(eq(identityProviders.id, id));
    return { action: 'identity-provider.delete', entityType: 'identity-provider', entityId: id, before: publicFields(before), result: undefined };
  });
}
