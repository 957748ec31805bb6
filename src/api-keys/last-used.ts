// "Last used" times are gathered in memory and written in one statement every few seconds, so
// a key check costs no extra write on the hot path.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';

export class LastUsedRecorder {
  private pending = new Map<number, Date>();
  private timer: NodeJS.Timeout | undefined;

  private readonly db: Db;
  private readonly flushMs: number;

  constructor(db: Db, flushMs = 5000) {
    this.db = db;
    this.flushMs = flushMs;
  }

  record(keyId: number, at = new Date()): void {
    this.pending.set(keyId, at);
    this.timer ??= setTimeout(() => void this.flush(), this.flushMs).unref();
  }

  async flush(): Promise<void> {
    this.timer = undefined;
    if (!this.pending.size) return;
    const batch = [...this.pending];
    this.pending = new Map();
    const values = sql.join(batch.map(([id, at]) => sql`(${id}::int, ${at.toISOString()}::timestamptz)`), sql`, `);
    await this.db.execute(sql`update api_keys set last_used_at = v.at from (values ${values}) as v(id, at) where api_keys.id = v.id`)
      .catch(() => undefined); // a lost "last used" stamp is harmless; the next check records it again
  }
}
