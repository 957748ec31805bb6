// What every import step shares: the target transaction, the source snapshot, the maps from
// the original's ids to ours, the report, and the ids this import hands out itself.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import type { Conflict, ImportReport, ImportTable } from './import-report.ts';
import type { SourceSnapshot } from './source.types.ts';

export type Progress = (table: ImportTable, done: number, total: number) => void;

export interface ImportContext {
  db: Db;
  keys: SecretKeys;
  now: Date;
  source: SourceSnapshot;
  report: ImportReport;
  ids: IdAllocator;
  /** Original id → our id, for the rows the later steps refer to. */
  map: { users: Map<number, number>; teams: Map<number, number>; roles: Map<number, number>; resources: Map<number, number>; clients: Map<number, number> };
  progress: Progress;
}

export function conflict(ctx: ImportContext, c: Conflict): void {
  ctx.report.conflicts.push(c);
}

/** Tables whose serial ids the import assigns itself (see IdAllocator). */
const SERIAL_TABLES = [
  'users', 'teams', 'roles', 'resources', 'access_rules', 'oauth_clients', 'login_preventions', 'api_keys', 'signing_keys',
] as const;
type SerialTable = (typeof SERIAL_TABLES)[number];

/**
 * Ids are assigned here rather than by the sequences, so that a dry run (rolled back) leaves the
 * sequences alone and original ids kept verbatim can never meet a sequence value: the tables are
 * locked against concurrent writers for the transaction, new ids continue after the highest
 * id and the sequence's last value, and each sequence is moved past them before commit.
 */
export class IdAllocator {
  private readonly last = new Map<SerialTable, number>();
  private readonly used = new Set<SerialTable>();

  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  async lockTables(): Promise<void> {
    await this.db.execute(sql.raw(`lock table ${SERIAL_TABLES.join(', ')} in exclusive mode`));
    for (const table of SERIAL_TABLES) {
      const result = await this.db.execute(sql`select greatest(
        (select coalesce(max(id), 0) from ${sql.identifier(table)}),
        coalesce(pg_sequence_last_value(pg_get_serial_sequence(${table}, 'id')::regclass), 0)) as last`);
      this.last.set(table, Number((result as unknown as { rows: Array<{ last: number | string }> }).rows[0].last));
    }
  }

  /** A fresh id, above every id in the table, its sequence and every id handed out or kept so far. */
  next(table: SerialTable): number {
    const id = (this.last.get(table) ?? 0) + 1;
    this.last.set(table, id);
    this.used.add(table);
    return id;
  }

  /** Records an original id inserted verbatim (the caller checked it is free). */
  keep(table: SerialTable, id: number): void {
    this.used.add(table);
    if (id > (this.last.get(table) ?? 0)) this.last.set(table, id);
  }

  /** Moves the sequences of the tables written to past the ids used, so later rows never collide with them. */
  async advanceSequences(): Promise<void> {
    for (const table of this.used) {
      const last = this.last.get(table) ?? 0;
      await this.db.execute(sql`select setval(pg_get_serial_sequence(${table}, 'id')::regclass,
        greatest(${last}::bigint, coalesce(pg_sequence_last_value(pg_get_serial_sequence(${table}, 'id')::regclass), 1)))`);
    }
  }
}

/**
 * Writes `rows` in slices, keeping each statement well under PostgreSQL's parameter limit, and
 * reports progress per slice ("<table>: written/total").
 */
export async function insertInChunks<T>(ctx: ImportContext, table: ImportTable, rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  const size = 500;
  for (let i = 0; i < rows.length; i += size) {
    await insert(rows.slice(i, i + size));
    ctx.progress(table, Math.min(i + size, rows.length), rows.length);
  }
  if (!rows.length) ctx.progress(table, 0, 0);
}
