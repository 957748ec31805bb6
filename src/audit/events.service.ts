// Reading the event log (#21): filters, newest first, keyset pagination by id (a cursor stays
// valid while events are appended, where an offset would shift). Staff only (policy 'events.read').
import { and, desc, eq, gte, ilike, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { assertMay, type Actor } from '../access/index.ts';
import type { Db } from '../db/client.ts';
import { likePattern } from '../db/paging.ts';
import { events } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { eventView, type EventView } from '../events/index.ts';

export interface EventFilters {
  types?: string[];
  userId?: number;
  clientId?: string;
  ip?: string;
  outcome?: string;
  actorId?: string;
  since?: Date;
  until?: Date;
  /** Text in the subject or the actor's label. */
  q?: string;
}

/** An opaque cursor: the id the next page starts below. */
const cursorOf = (id: number) => Buffer.from(`e${id}`).toString('base64url');

function idOfCursor(cursor: string): number {
  const match = /^e(\d{1,12})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new AppError('VALIDATION_FAILED', { message: 'The cursor is not one this API gave.', details: { cursor } });
  return Number(match[1]);
}

function conditionsOf(f: EventFilters): SQL[] {
  const c: SQL[] = [];
  if (f.types?.length) c.push(inArray(events.type, f.types));
  if (f.userId !== undefined) c.push(eq(events.userId, f.userId));
  if (f.clientId) c.push(eq(events.clientId, f.clientId));
  if (f.ip) c.push(eq(events.ip, f.ip));
  if (f.outcome) c.push(eq(events.outcome, f.outcome));
  if (f.actorId) c.push(eq(events.actorId, f.actorId));
  if (f.since) c.push(gte(events.time, f.since));
  if (f.until) c.push(lte(events.time, f.until));
  if (f.q) c.push(or(ilike(events.subject, likePattern(f.q)), ilike(events.actorLabel, likePattern(f.q)))!);
  return c;
}

export async function listEvents(deps: { db: Db }, actor: Actor, filters: EventFilters, page: { cursor?: string; limit: number }): Promise<{ items: EventView[]; next_cursor: string | null }> {
  assertMay(actor, 'events.read');
  const below = page.cursor ? [lt(events.id, idOfCursor(page.cursor))] : [];
  const rows = await deps.db.select().from(events).where(and(...conditionsOf(filters), ...below))
    .orderBy(desc(events.id)).limit(page.limit + 1);
  const items = rows.slice(0, page.limit).map(eventView);
  return { items, next_cursor: rows.length > page.limit ? cursorOf(items[items.length - 1].id) : null };
}

/** Every matching event, newest first, a batch at a time (the export streams them). */
export async function* eachEvent(deps: { db: Db }, actor: Actor, filters: EventFilters, max: number): AsyncGenerator<EventView> {
  let cursor: string | undefined;
  for (let sent = 0; sent < max;) {
    const page = await listEvents(deps, actor, filters, { cursor, limit: Math.min(500, max - sent) });
    for (const item of page.items) yield item;
    sent += page.items.length;
    if (!page.next_cursor) return;
    cursor = page.next_cursor;
  }
}

/** Failed sign-ins in the 24 hours before `now`, per hour (the dashboard's tile): oldest hour first. */
export async function failedSignInsByHour(deps: { db: Db }, actor: Actor, now = new Date()): Promise<{ total: number; hours: Array<{ hour: string; count: number }> }> {
  assertMay(actor, 'events.read');
  const end = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 + 3_600_000);
  const start = new Date(end.getTime() - 24 * 3_600_000);
  const hour = sql<number>`floor(extract(epoch from ${events.time} - ${start.toISOString()}::timestamptz) / 3600)::int`;
  const rows = await deps.db.select({ hour, n: sql<number>`count(*)::int` }).from(events)
    .where(and(eq(events.type, 'user.login_failed'), gte(events.time, start), lt(events.time, end))).groupBy(sql`1`); // by position: the expression holds a parameter
  const counts = new Array<number>(24).fill(0);
  for (const r of rows) counts[Number(r.hour)] = Number(r.n);
  return { total: counts.reduce((a, b) => a + b, 0), hours: counts.map((count, i) => ({ hour: new Date(start.getTime() + i * 3_600_000).toISOString(), count })) };
}
