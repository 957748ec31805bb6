// Users, matched by e-mail (case-insensitive, as DJAM looks them up). Relying parties know a
// user by `sub` = id, so a user keeps the original id whenever it is free here; when another
// e-mail holds it, the user gets a new id and legacy_user_id = the original id (the
// `legacy_user_id` claim lets relying parties match the account again). Hashes are kept
// verbatim: the Django formats verify, and are upgraded to Argon2id at the first sign-in.
import { randomUUID } from 'node:crypto';
import { users } from '../db/schema.ts';
import { conflict, insertInChunks, type ImportContext } from './import-context.ts';
import type { SourceUser } from './source.types.ts';

interface Here {
  id: number; email: string; username: string; uuid: string; legacyUserId: number | null; isActive: boolean; isStaff: boolean; isSuperuser: boolean;
}
interface Planned { src: SourceUser; keepId: boolean }

const FLAGS = ['isActive', 'isStaff', 'isSuperuser'] as const;
const label = (src: SourceUser) => `#${src.id} ${src.email}`;

/** A user already here: unchanged, or a conflict when its sub or its privileges differ from the original. */
function reportMatch(ctx: ImportContext, src: SourceUser, here: Here): void {
  ctx.map.users.set(src.id, here.id);
  if (here.id !== src.id && here.legacyUserId !== src.id) {
    conflict(ctx, { table: 'users', row: label(src), resolved: false,
      reason: `this e-mail belongs to user #${here.id} here; relying parties that know it as sub ${src.id} will see sub ${here.id}` });
    return;
  }
  const drift = FLAGS.filter((f) => here[f] !== src[f]);
  if (drift.length) {
    conflict(ctx, { table: 'users', row: label(src), resolved: false,
      reason: `${drift.map((f) => `${f} is ${here[f]} here but ${src[f]} in the original`).join(', ')}; left as it is here` });
    return;
  }
  ctx.report.tallies.users.unchanged++;
}

function planUsers(ctx: ImportContext, here: Here[]): Planned[] {
  const byEmail = new Map(here.map((u) => [u.email.toLowerCase(), u]));
  const usernames = new Set(here.map((u) => u.username));
  const ids = new Set(here.map((u) => u.id));
  const plannedEmails = new Map<string, SourceUser>();
  const planned: Planned[] = [];
  for (const src of ctx.source.users) {
    const match = byEmail.get(src.email.toLowerCase());
    const twin = plannedEmails.get(src.email.toLowerCase());
    if (match) reportMatch(ctx, src, match);
    else if (twin) {
      conflict(ctx, { table: 'users', row: label(src), resolved: false, reason: `its e-mail differs only in case from user #${twin.id}'s; not imported` });
    } else if (usernames.has(src.username)) {
      conflict(ctx, { table: 'users', row: label(src), resolved: false, reason: `the username "${src.username}" is taken here; not imported` });
    } else {
      plannedEmails.set(src.email.toLowerCase(), src);
      usernames.add(src.username);
      planned.push({ src, keepId: !ids.has(src.id) });
    }
  }
  return planned;
}

function reportNewId(ctx: ImportContext, src: SourceUser, id: number): void {
  // A pre-DJAM legacy id is kept (it is data); then nothing links the new sub to the old one.
  const keepsOldLegacy = src.legacyUserId !== null;
  conflict(ctx, { table: 'users', row: label(src), resolved: !keepsOldLegacy,
    reason: keepsOldLegacy
      ? `id ${src.id} is taken here; imported as #${id}, keeping its pre-DJAM legacy_user_id ${src.legacyUserId}, so relying parties cannot match it by sub or legacy_user_id`
      : `id ${src.id} is taken here by another e-mail; imported as #${id} with legacy_user_id ${src.id}` });
}

export async function importUsers(ctx: ImportContext): Promise<void> {
  const here = await ctx.db.select({
    id: users.id, email: users.email, username: users.username, uuid: users.uuid, legacyUserId: users.legacyUserId,
    isActive: users.isActive, isStaff: users.isStaff, isSuperuser: users.isSuperuser,
  }).from(users);
  const uuids = new Set(here.map((u) => u.uuid));
  const planned = planUsers(ctx, here);
  // Original ids first, so the new ids handed out next continue above all of them.
  for (const p of planned) if (p.keepId) ctx.ids.keep('users', p.src.id);
  const rows = planned.map(({ src, keepId }) => {
    const id = keepId ? src.id : ctx.ids.next('users');
    if (!keepId) reportNewId(ctx, src, id);
    ctx.map.users.set(src.id, id);
    return {
      id, password: src.password, lastLogin: src.lastLogin, isSuperuser: src.isSuperuser, username: src.username,
      firstName: src.firstName, lastName: src.lastName, email: src.email, secondaryEmail: src.secondaryEmail,
      emailConfirmed: src.emailConfirmed, uuid: uuids.has(src.uuid) ? randomUUID() : src.uuid, isStaff: src.isStaff,
      isActive: src.isActive, dateJoined: src.dateJoined, updatedAt: ctx.now,
      legacyUserId: keepId || src.legacyUserId !== null ? src.legacyUserId : src.id,
    };
  });
  await insertInChunks(ctx, 'users', rows, (chunk) => ctx.db.insert(users).values(chunk));
  ctx.report.tallies.users.imported += rows.length;
}
