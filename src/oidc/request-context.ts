// One provider request (and one interaction step) carries one typed context, shared by DJAM's
// code around and inside the provider while it is handled:
// - token look-ups: an introspection tries AccessToken, ClientCredentials and RefreshToken at
//   once, and the adapter fetches every model of an id in one statement (adapter.ts);
// - the signed-in DJAM user and session found before the provider runs (mount.ts), so
//   findAccount and auth_time need no query and the code carries its session uuid (docs/compatibility.md §3.3);
// - the rows to write in one statement before the response leaves (write-buffer.ts).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { oidcPayloads } from '../db/schema.ts';
import type { User } from '../users/index.ts';

export type StoredRow = { model: string; payload: Record<string, unknown>; consumedAt: Date | null; uid: string | null; expiresAt: Date | null };
export type PendingRow = typeof oidcPayloads.$inferInsert;
export type RowKey = { model: string; id: string };
export interface PendingWrites { rows: Map<string, PendingRow>; deletes: Map<string, RowKey>; consumes: Map<string, RowKey & { grantId?: string }> }

export interface ProviderRequestContext {
  /** Every model stored under an id hash, fetched once per request. */
  readonly lookups: Map<string, Promise<StoredRow[]>>;
  /** The signed-in DJAM user of this request (authorize). */
  user?: User;
  /** When the DJAM session of this request was signed in (auth_time, OIDC Core 3.1.2.1). */
  signedInAt?: Date;
  /** #22: the RFC 8176 methods of that session (acr.ts). */
  amr?: string[];
  /** The DJAM session uuid of this request, stored with the code it issues (docs/compatibility.md §3.3 session_token). */
  sessionUuid?: string;
  /** The session uuid the exchanged code was issued in. */
  codeSessionUuid?: string;
  /** Writes buffered for one statement (write-buffer.ts); absent outside a buffered request. */
  writes?: PendingWrites;
}

const store = new AsyncLocalStorage<ProviderRequestContext>();

export function withRequestContext<T>(fn: () => T): T {
  return store.run({ lookups: new Map() }, fn);
}

export function requestContext(): ProviderRequestContext | undefined {
  return store.getStore();
}

/** The signed-in DJAM user of this request when it is the account `accountId` (the provider's sub). */
export function requestUser(accountId: string): User | undefined {
  const user = store.getStore()?.user;
  return user && String(user.id) === accountId ? user : undefined;
}
