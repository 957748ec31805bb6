// A user's second factors (#22): list, enrol an authenticator app, check a code, remove, reset.
// Seeds are sealed with the server's encryption key, so a database dump yields no usable seed;
// each TOTP step is accepted once (`last_step` only ever moves forward, in one statement).
import { and, asc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { mfaFactors, mfaRecoveryCodes, teamMembers, teams } from '../db/schema.ts';
import { seal, unseal, type SecretKeys } from '../crypto/keys.ts';
import { assertMay, audited, type Actor, type UserTarget } from '../access/index.ts';
import { AppError } from '../errors.ts';
import { adminsInTeams } from '../privileges/index.ts';
import { matchingStep } from './totp.ts';

export interface MfaDeps { config: Config; db: Db; keys: SecretKeys }
export interface Factor { id: number; kind: 'totp' | 'passkey'; name: string; createdAt: Date; lastUsedAt: Date | null }

const factorColumns = { id: mfaFactors.id, kind: mfaFactors.kind, name: mfaFactors.name, createdAt: mfaFactors.createdAt, lastUsedAt: mfaFactors.lastUsedAt };

export async function listFactors(deps: { db: Db }, userId: number): Promise<Factor[]> {
  const rows = await deps.db.select(factorColumns).from(mfaFactors).where(eq(mfaFactors.userId, userId)).orderBy(asc(mfaFactors.id));
  return rows as Factor[];
}

export async function hasFactor(deps: { db: Db }, userId: number): Promise<boolean> {
  const [row] = await deps.db.select({ id: mfaFactors.id }).from(mfaFactors).where(eq(mfaFactors.userId, userId)).limit(1);
  return row !== undefined;
}

/**
 * What the sign-in needs to know after the password, in one statement (the sign-in's statement
 * budget, test/perf): whether the user has a factor, and whether a team of theirs requires one.
 */
async function secondFactorState(db: Db, userId: number): Promise<{ hasFactor: boolean; teamRequires: boolean }> {
  const result = await db.execute(sql`select
    exists (select 1 from ${mfaFactors} where ${mfaFactors.userId} = ${userId}) as has_factor,
    exists (select 1 from ${teamMembers} join ${teams} on ${teams.id} = ${teamMembers.teamId}
      where ${teamMembers.userId} = ${userId} and ${teams.requiresMfa}) as team_requires`);
  const [row] = (result as unknown as { rows: Array<{ has_factor: boolean; team_requires: boolean }> }).rows;
  return { hasFactor: row.has_factor, teamRequires: row.team_requires };
}

/** After the password: `verify` (the user has a factor), `enrol` (they must have one and have none), or nothing more. */
export async function secondStepAfterPassword(deps: { config: Pick<Config, 'DJAM_MFA_REQUIRED'>; db: Db }, user: UserTarget & { id: number }): Promise<'verify' | 'enrol' | undefined> {
  const state = await secondFactorState(deps.db, user.id);
  if (state.hasFactor) return 'verify';
  return state.teamRequires || isRequiredByPolicy(deps.config, user) ? 'enrol' : undefined;
}

const isRequiredByPolicy = (config: Pick<Config, 'DJAM_MFA_REQUIRED'>, user: UserTarget) =>
  config.DJAM_MFA_REQUIRED === 'all' || (config.DJAM_MFA_REQUIRED === 'staff' && (user.isStaff || user.isSuperuser));

/** DJAM_MFA_REQUIRED (none | staff | all), or a team of the user's that asks it of its members. */
export async function mustUseMfa(deps: { config: Pick<Config, 'DJAM_MFA_REQUIRED'>; db: Db }, user: UserTarget & { id: number }): Promise<boolean> {
  if (isRequiredByPolicy(deps.config, user)) return true;
  const [row] = await deps.db.select({ id: teams.id }).from(teamMembers).innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(and(eq(teamMembers.userId, user.id), eq(teams.requiresMfa, true))).limit(1);
  return row !== undefined;
}

/** Adds an authenticator app whose code for `step` the user just typed (that step is spent). */
export async function addTotpFactor(deps: MfaDeps, actor: Actor, user: UserTarget & { id: number }, secret: string, step: number): Promise<number> {
  assertMay(actor, 'mfa.manage', user);
  return audited(deps.db, actor, async (tx) => {
    const [row] = await tx.insert(mfaFactors).values({ userId: user.id, kind: 'totp', name: 'Authenticator app', secretSealed: seal(deps.keys, secret), lastStep: step }).returning({ id: mfaFactors.id });
    return { action: 'mfa.enrolled', entityType: 'user', entityId: user.id, after: { factorId: row.id, kind: 'totp' }, result: row.id };
  });
}

/**
 * The authenticator app `code` belongs to, its step now spent; undefined for a wrong code or a
 * step already used (by this code or a later one).
 */
export async function useTotpCode(deps: MfaDeps, userId: number, code: string): Promise<number | undefined> {
  const apps = await deps.db.select({ id: mfaFactors.id, secretSealed: mfaFactors.secretSealed }).from(mfaFactors)
    .where(and(eq(mfaFactors.userId, userId), eq(mfaFactors.kind, 'totp')));
  for (const app of apps) {
    const step = app.secretSealed ? matchingStep(unseal(deps.keys, app.secretSealed), code) : undefined;
    if (step === undefined) continue;
    const [spent] = await deps.db.update(mfaFactors).set({ lastStep: step, lastUsedAt: new Date() })
      .where(and(eq(mfaFactors.id, app.id), or(isNull(mfaFactors.lastStep), lt(mfaFactors.lastStep, step))))
      .returning({ id: mfaFactors.id });
    return spent?.id;
  }
  return undefined;
}

/** Removes one of the user's factors; with the last one go the recovery codes. */
export async function removeFactor(deps: MfaDeps, actor: Actor, user: UserTarget & { id: number }, factorId: number): Promise<void> {
  assertMay(actor, 'mfa.manage', user);
  await audited(deps.db, actor, async (tx) => {
    const [gone] = await tx.delete(mfaFactors).where(and(eq(mfaFactors.id, factorId), eq(mfaFactors.userId, user.id))).returning({ id: mfaFactors.id, kind: mfaFactors.kind, name: mfaFactors.name });
    if (!gone) throw new AppError('MFA_FACTOR_NOT_FOUND');
    const [left] = await tx.select({ n: sql<number>`count(*)::int` }).from(mfaFactors).where(eq(mfaFactors.userId, user.id));
    if (!left.n) await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, user.id));
    return { action: 'mfa.removed', entityType: 'user', entityId: user.id, before: { factorId: gone.id, kind: gone.kind, name: gone.name }, result: undefined };
  });
}

/** An administrator's reset: every factor and recovery code goes; the user enrols again at the next sign-in. */
export async function resetFactors(deps: MfaDeps, actor: Actor, user: UserTarget & { id: number }): Promise<number> {
  assertMay(actor, 'mfa.reset', user);
  return audited(deps.db, actor, async (tx) => {
    const gone = await tx.delete(mfaFactors).where(eq(mfaFactors.userId, user.id)).returning({ id: mfaFactors.id, kind: mfaFactors.kind });
    await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, user.id));
    return { action: 'mfa.reset', entityType: 'user', entityId: user.id, before: { factors: gone }, result: gone.length };
  });
}

/** Renames a passkey. */
export async function renameFactor(deps: MfaDeps, actor: Actor, user: UserTarget & { id: number }, factorId: number, name: string): Promise<void> {
  assertMay(actor, 'mfa.manage', user);
  const [row] = await deps.db.update(mfaFactors).set({ name }).where(and(eq(mfaFactors.id, factorId), eq(mfaFactors.userId, user.id))).returning({ id: mfaFactors.id });
  if (!row) throw new AppError('MFA_FACTOR_NOT_FOUND');
}

export async function teamRequiresMfa(deps: { db: Db }, teamId: number): Promise<boolean> {
  const [team] = await deps.db.select({ requiresMfa: teams.requiresMfa }).from(teams).where(eq(teams.id, teamId));
  if (!team) throw new AppError('TEAM_NOT_FOUND');
  return team.requiresMfa;
}

/**
 * The team's "members must use MFA" flag. Staff turn it on for any team (it only asks more of its
 * members); turning it off asks less of them, so for a team with other administrators in it that
 * is a superuser's change, like any change to their privileges (#22 review).
 */
export async function setTeamRequiresMfa(deps: { db: Db }, actor: Actor, teamId: number, required: boolean): Promise<boolean> {
  assertMay(actor, 'mfa.require');
  if (!required) assertMay(actor, 'privileges.change', { affected: await adminsInTeams(deps, [teamId]) });
  return audited(deps.db, actor, async (tx) => {
    const [team] = await tx.update(teams).set({ requiresMfa: required }).where(eq(teams.id, teamId)).returning({ id: teams.id, name: teams.name });
    if (!team) throw new AppError('TEAM_NOT_FOUND');
    return { action: 'team.update', entityType: 'team', entityId: team.id, after: { name: team.name, requires_mfa: required }, result: required };
  });
}

/**
 * A door that takes only a password (HTTP Basic at the proxy, the DRF endpoints, GeoServer's
 * credentials introspection) cannot ask for a second factor: it refuses a user who must use one
 * or who has one (their password alone must not open what their sign-in protects).
 */
export async function isPasswordAloneRefused(deps: { config: Pick<Config, 'DJAM_MFA_REQUIRED'>; db: Db }, user: UserTarget & { id: number }): Promise<boolean> {
  return (await secondStepAfterPassword(deps, user)) !== undefined;
}
