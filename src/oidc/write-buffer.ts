// Write-behind for one provider request: the payload rows a request saves (interaction,
// session, grant, code; access and refresh token) are buffered and written in ONE statement
// just before the response leaves (djam-bridge.ts). A failed write turns into an error
// response, so no client ever holds a code or token that was not stored.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { oidcPayloads } from '../db/schema.ts';
import { requestMemo } from './request-memo.ts';

export type PendingRow = typeof oidcPayloads.$inferInsert;
const KEY = 'djam:pending-writes';

export function startWriteBuffer(): void {
  requestMemo()?.set(KEY, new Map<string, PendingRow>());
}

export function writeBuffer(): Map<string, PendingRow> | undefined {
  return requestMemo()?.get(KEY) as Map<string, PendingRow> | undefined;
}

export function bufferKey(model: string, hash: string): string {
  return `${model}\n${hash}`;
}

export async function flushWrites(db: Db): Promise<void> {
  const buffer = writeBuffer();
  if (!buffer?.size) return;
  const rows = [...buffer.values()];
  buffer.clear();
  await db.insert(oidcPayloads).values(rows).onConflictDoUpdate({
    target: [oidcPayloads.model, oidcPayloads.id],
    set: {
      payload: sql`excluded.payload`, grantId: sql`excluded.grant_id`, uid: sql`excluded.uid`,
      userCode: sql`excluded.user_code`, expiresAt: sql`excluded.expires_at`, consumedAt: sql`excluded.consumed_at`,
    },
  });
}
