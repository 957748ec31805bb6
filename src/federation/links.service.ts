// Upstream accounts and the DJAM users they sign in as (#23). The rules against account
// takeover: an upstream account is linked to an existing user only when that user, signed in,
// asked for it (linkUpstreamAccount); a first sign-in whose e-mail already belongs to someone is
// refused, never linked by the address alone; a user is created just in time only when the
// upstream allows it, the e-mail domain is allowed and the upstream vouches for the address.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { identityLinks, identityProviders, teamMembers } from '../db/schema.ts';
import { AppError, uniqueViolationConstraint } from '../errors.ts';
import { createUser, findUser, findUserByEmail, type User } from '../users/index.ts';
import { addTeamMember, createTeam, findTeamByName, removeTeamMember } from '../privileges/index.ts';
import type { IdentityProvider, TeamMapping } from './providers.service.ts';

export type IdentityLink = typeof identityLinks.$inferSelect;
type LinkKind = 'oidc' | 'ldap';

interface Upstream { kind: LinkKind; providerId: number | null }

const upstreamOf = (idp: IdentityProvider): Upstream => ({ kind: 'oidc', providerId: idp.id });

function sameUpstream(u: Upstream) {
  return and(eq(identityLinks.kind, u.kind), u.providerId === null ? isNull(identityLinks.providerId) : eq(identityLinks.providerId, u.providerId));
}

async function findLink(deps: { db: Db }, upstream: Upstream, subject: string): Promise<IdentityLink | undefined> {
  const [row] = await deps.db.select().from(identityLinks).where(and(sameUpstream(upstream), eq(identityLinks.subject, subject))).limit(1);
  return row;
}

export interface LinkView { id: number; kind: LinkKind; providerId: number | null; providerName: string; subject: string; createdAt: Date; lastUsedAt: Date | null }

export async function listLinksOfUser(deps: { db: Db }, userId: number): Promise<LinkView[]> {
  const rows = await deps.db.select({ link: identityLinks, name: identityProviders.name }).from(identityLinks)
    .leftJoin(identityProviders, eq(identityProviders.id, identityLinks.providerId))
    .where(eq(identityLinks.userId, userId)).orderBy(asc(identityLinks.id));
  return rows.map(({ link, name }) => ({
    id: link.id, kind: link.kind as LinkKind, providerId: link.providerId, providerName: name ?? 'Directory (LDAP)',
    subject: link.subject, createdAt: link.createdAt, lastUsedAt: link.lastUsedAt,
  }));
}

async function insertLink(deps: { db: Db }, upstream: Upstream, subject: string, userId: number): Promise<IdentityLink> {
  try {
    const [row] = await deps.db.insert(identityLinks).values({ ...upstream, subject, userId, lastUsedAt: new Date() }).returning();
    return row;
  } catch (cause) {
    if (uniqueViolationConstraint(cause) === 'identity_links_upstream_subject_key') throw new AppError('IDP_LINK_TAKEN', { cause });
    throw cause;
  }
}

/** The signed-in user links an upstream account they just proved they hold. */
export async function linkUpstreamAccount(deps: { db: Db }, idp: IdentityProvider, subject: string, user: User): Promise<IdentityLink> {
  const existing = await findLink(deps, upstreamOf(idp), subject);
  if (existing && existing.userId !== user.id) throw new AppError('IDP_LINK_TAKEN');
  return existing ?? insertLink(deps, upstreamOf(idp), subject, user.id);
}

/** Unlinks one of the user's upstream accounts, if another way to sign in remains. */
export async function unlinkUpstreamAccount(deps: { db: Db }, user: User, linkId: number): Promise<IdentityLink> {
  const links = await deps.db.select().from(identityLinks).where(eq(identityLinks.userId, user.id));
  const link = links.find((l) => l.id === linkId);
  if (!link) throw new AppError('IDP_LINK_NOT_FOUND', { details: { id: linkId } });
  if (!user.password && links.length < 2) throw new AppError('IDP_LAST_SIGN_IN_METHOD');
  await deps.db.delete(identityLinks).where(eq(identityLinks.id, link.id));
  return link;
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/** The person an upstream describes: e-mail (when present), whether it vouches for it, names. */
export interface UpstreamPerson { subject: string; email: string; emailVerified: boolean; firstName: string; lastName: string }

export function personOf(idp: IdentityProvider, claims: Record<string, unknown> & { sub: string }): UpstreamPerson {
  return {
    subject: claims.sub, email: str(claims.email).slice(0, 254),
    // Believed only when the upstream asserts it and the administrator marked the upstream trusted for e-mail.
    emailVerified: idp.trustEmail && claims.email_verified === true,
    firstName: str(claims.given_name).slice(0, 150), lastName: str(claims.family_name).slice(0, 150),
  };
}

function checkDomain(allowed: string[], email: string): void {
  if (allowed.length && (!email.includes('@') || !allowed.includes(domainOf(email)))) {
    throw new AppError('IDP_DOMAIN_NOT_ALLOWED', { details: { domain: email.includes('@') ? domainOf(email) : null } });
  }
}

/**
 * The DJAM user an upstream sign-in is, by its link; a first sign-in creates the user just in
 * time when the rules allow it. Returns the user and its link; throws the page's reason otherwise.
 */
export async function resolveUpstreamUser(deps: { db: Db }, upstream: Upstream, rules: { allowJit: boolean; allowedDomains: string[] }, person: UpstreamPerson): Promise<{ user: User; link: IdentityLink; created: boolean }> {
  const link = await findLink(deps, upstream, person.subject);
  if (link) {
    // The domain rule holds at every sign-in: an address moved out of an allowed domain stops here.
    if (person.email) checkDomain(rules.allowedDomains, person.email);
    const user = await findUser(deps, link.userId);
    if (!user?.isActive) throw new AppError('IDP_ACCESS_DENIED', { message: 'This account is deactivated.' });
    await deps.db.update(identityLinks).set({ lastUsedAt: new Date() }).where(eq(identityLinks.id, link.id));
    return { user, link, created: false };
  }
  checkDomain(rules.allowedDomains, person.email);
  if (person.email && await findUserByEmail(deps, person.email)) throw new AppError('IDP_ACCOUNT_EXISTS');
  if (!rules.allowJit) throw new AppError('IDP_NO_ACCOUNT');
  if (!person.email || !person.emailVerified) throw new AppError('IDP_EMAIL_UNVERIFIED');
  return deps.db.transaction(async (tx) => {
    let user: User;
    try {
      user = await createUser({ db: tx as unknown as Db }, { email: person.email, firstName: person.firstName, lastName: person.lastName, emailConfirmed: true });
    } catch (cause) {
      if (cause instanceof AppError && (cause.code === 'EMAIL_TAKEN' || cause.code === 'USERNAME_TAKEN')) throw new AppError('IDP_ACCOUNT_EXISTS', { cause });
      throw cause;
    }
    const created = await insertLink({ db: tx as unknown as Db }, upstream, person.subject, user.id);
    return { user, link: created, created: true };
  });
}

export async function resolveOidcUser(deps: { db: Db }, idp: IdentityProvider, person: UpstreamPerson) {
  return resolveUpstreamUser(deps, upstreamOf(idp), idp, person);
}

/** The values of a groups claim, flattened (DJAM's own `groups` is a list holding one list). */
export function groupValuesOf(claim: unknown): string[] {
  if (typeof claim === 'string') return [claim];
  if (!Array.isArray(claim)) return [];
  return claim.flat(3).filter((v): v is string => typeof v === 'string');
}

export function mappedTeamNames(mappings: TeamMapping[], values: string[]): string[] {
  const held = new Set(values);
  return [...new Set(mappings.filter((m) => held.has(m.value)).map((m) => m.team))];
}

/**
 * Puts the user in `teamNames` (made when missing) and takes them out of the teams an earlier
 * sign-in through the same link put them in and that are no longer granted. Teams the user was
 * in before the mapping ever granted them are left alone. Returns the team names granted.
 */
export async function applyTeamMapping(deps: { db: Db }, link: IdentityLink, user: User, teamNames: string[]): Promise<void> {
  const wanted: number[] = [];
  for (const name of teamNames) wanted.push(((await findTeamByName(deps, name)) ?? (await createTeam(deps, name))).id);
  const current = new Set((await deps.db.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.userId, user.id))).map((r) => r.teamId));
  const previous = new Set(link.teamIds);
  const managed: number[] = [];
  for (const id of wanted) {
    if (!current.has(id)) {
      await addTeamMember(deps, id, user.id);
      managed.push(id);
    } else if (previous.has(id)) {
      managed.push(id);
    }
  }
  for (const id of previous) if (!wanted.includes(id) && current.has(id)) await removeTeamMember(deps, id, user.id);
  if (managed.length !== previous.size || managed.some((id) => !previous.has(id))) {
    await deps.db.update(identityLinks).set({ teamIds: managed }).where(eq(identityLinks.id, link.id));
  }
}
