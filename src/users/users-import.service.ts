// `upload_users` (docs/compatibility.md §10.1): imports users exported from a pre-DJAM system (GeoNode), keeping
// their Django password hashes verbatim so they sign in with the password they know. An entry is
// skipped when a user with its e-mail (any case) or username exists, as the original does, and
// when it cannot be imported faithfully (no usable hash, no e-mail, no integer pk). Entries are
// written in batches; a batch the database refuses is retried row by row, so one bad row loses
// only itself.
import { inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { isSupportedPasswordHash } from './passwords.ts';

export const importSkipReasons = {
  EMAIL_EXISTS: 'e-mail already registered',
  USERNAME_EXISTS: 'username already taken',
  UNSUPPORTED_PASSWORD: 'password not a Django hash DJAM can verify',
  INVALID_ENTRY: 'invalid entry',
  DATABASE_REFUSED: 'refused by the database',
} as const;

type ImportSkipReason = keyof typeof importSkipReasons;
interface ImportSkip { index: number; pk: unknown; email: unknown; reason: ImportSkipReason; detail?: string }
export interface ImportReport { total: number; created: number; skipped: ImportSkip[] }

type Row = typeof users.$inferInsert & { email: string; username: string };
interface Candidate { index: number; pk: unknown; row: Row }

const BATCH_SIZE = 250;
const MAX_INT32 = 2 ** 31 - 1;

type Refusal = { reason: ImportSkipReason; detail?: string };
const invalid = (detail: string): Refusal => ({ reason: 'INVALID_ENTRY', detail });

/** A text field: '' when absent, undefined when not a string or longer than the column. */
function text(value: unknown, max: number): string | undefined {
  if (value === undefined || value === null) return '';
  const trimmed = typeof value === 'string' ? value.trim() : undefined;
  return trimmed !== undefined && trimmed.length <= max ? trimmed : undefined;
}

/** The user row an entry describes, or why it cannot be imported. */
function toRow(entry: unknown): Row | Refusal {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return invalid('not an object');
  const e = entry as Record<string, unknown>;
  if (typeof e.pk !== 'number' || !Number.isInteger(e.pk) || Math.abs(e.pk) > MAX_INT32) return invalid('pk is not an integer');
  const email = text(e.email, 254);
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) return invalid('no valid e-mail address');
  const givenUsername = text(e.username, 150);
  const username = givenUsername === '' ? email : givenUsername; // no username: DJAM's rule, the e-mail
  const [firstName, lastName] = [text(e.first_name, 150), text(e.last_name, 150)];
  if (username === undefined || firstName === undefined || lastName === undefined) return invalid('a name is not text of at most 150 characters');
  if (typeof e.password !== 'string' || !isSupportedPasswordHash(e.password)) return { reason: 'UNSUPPORTED_PASSWORD' };
  return { email, username, firstName, lastName, password: e.password, legacyUserId: e.pk, isActive: true, emailConfirmed: true };
}

/** Lower-cased e-mails and usernames among `rows` that already belong to someone. */
async function findTaken(db: Db, rows: Row[]): Promise<{ emails: Set<string>; usernames: Set<string> }> {
  const taken = { emails: new Set<string>(), usernames: new Set<string>() };
  if (!rows.length) return taken;
  const found = await db.select({ email: users.email, username: users.username }).from(users).where(or(
    inArray(sql`lower(${users.email})`, rows.map((r) => r.email.toLowerCase())), inArray(users.username, rows.map((r) => r.username)),
  ));
  for (const f of found) { taken.emails.add(f.email.toLowerCase()); taken.usernames.add(f.username); }
  return taken;
}

/** Inserts one row; a clash that appeared meanwhile is a skip, any other refusal too, with its message. */
async function insertOne(db: Db, c: Candidate): Promise<ImportSkip | undefined> {
  try {
    const inserted = await db.insert(users).values(c.row).onConflictDoNothing().returning({ id: users.id });
    if (inserted.length) return undefined;
    const taken = await findTaken(db, [c.row]);
    return { index: c.index, pk: c.pk, email: c.row.email, reason: taken.emails.size ? 'EMAIL_EXISTS' : 'USERNAME_EXISTS' };
  } catch (err) {
    return { index: c.index, pk: c.pk, email: c.row.email, reason: 'DATABASE_REFUSED', detail: rootMessage(err) };
  }
}

/** The driver's own words: drizzle's wrapper message repeats the query and its parameters (the hash). */
function rootMessage(err: unknown): string {
  let e = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

/** Inserts the batch in one statement; rows it did not create (or all, if it failed) go one by one. */
async function insertBatch(db: Db, batch: Candidate[]): Promise<ImportSkip[]> {
  let created = new Set<string>();
  try {
    const rows = await db.insert(users).values(batch.map((c) => c.row)).onConflictDoNothing().returning({ username: users.username });
    created = new Set(rows.map((r) => r.username));
  } catch {
    // Some row is refused (it passed our checks, so it is rare): find which, keep the others.
  }
  const skips: ImportSkip[] = [];
  for (const c of batch) {
    if (created.has(c.row.username)) continue;
    const skip = await insertOne(db, c);
    if (skip) skips.push(skip);
  }
  return skips;
}

/** Decides, in file order, which entries of one slice are created and which are skipped. */
async function importSlice(db: Db, entries: unknown[], offset: number): Promise<ImportSkip[]> {
  const skipped: ImportSkip[] = [];
  const candidates: Candidate[] = [];
  const parsed = entries.map((entry, i) => ({ index: offset + i, entry, row: toRow(entry) }));
  const taken = await findTaken(db, parsed.flatMap((p) => ('reason' in p.row ? [] : [p.row])));
  for (const { index, entry, row } of parsed) {
    const e = (entry && typeof entry === 'object' ? entry : {}) as Record<string, unknown>;
    const refusal: Refusal | undefined = 'reason' in row ? row
      : taken.emails.has(row.email.toLowerCase()) ? { reason: 'EMAIL_EXISTS' } : taken.usernames.has(row.username) ? { reason: 'USERNAME_EXISTS' } : undefined;
    if (refusal) { skipped.push({ index, pk: e.pk, email: e.email, ...refusal }); continue; }
    const accepted = row as Row;
    // A later entry of the same file with this e-mail or username is a duplicate of this one.
    taken.emails.add(accepted.email.toLowerCase());
    taken.usernames.add(accepted.username);
    candidates.push({ index, pk: e.pk, row: accepted });
  }
  if (candidates.length) skipped.push(...await insertBatch(db, candidates));
  return skipped;
}

export async function importLegacyUsers(deps: { db: Db }, entries: unknown[], onProgress?: (done: number, total: number) => void): Promise<ImportReport> {
  const skipped: ImportSkip[] = [];
  for (let offset = 0; offset < entries.length; offset += BATCH_SIZE) {
    skipped.push(...await importSlice(deps.db, entries.slice(offset, offset + BATCH_SIZE), offset));
    onProgress?.(Math.min(offset + BATCH_SIZE, entries.length), entries.length);
  }
  skipped.sort((a, b) => a.index - b.index);
  return { total: entries.length, created: entries.length - skipped.length, skipped };
}
