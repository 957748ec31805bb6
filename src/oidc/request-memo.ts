// One request of the provider often looks the same token id up under several models (an
// introspection tries AccessToken, ClientCredentials and RefreshToken at once). Within one
// request the adapter fetches every model of an id in one statement and shares the answer.
import { AsyncLocalStorage } from 'node:async_hooks';

export type MemoStore = Map<string, unknown>;

/** Keys DJAM's own code puts into the memo. */
export const MEMO = {
  /** The signed-in DJAM user of this request (authorize): findAccount needs no query. */
  user: (id: string) => `djam:user:${id}`,
  /** The DJAM session uuid of this request, stored with the code it issues (docs/compatibility.md §3.3 session_token). */
  sessionUuid: 'djam:session-uuid',
  /** The session uuid the exchanged code was issued in. */
  codeSessionUuid: 'djam:code-session-uuid',
} as const;
const store = new AsyncLocalStorage<MemoStore>();

export function withRequestMemo<T>(fn: () => T): T {
  return store.run(new Map(), fn);
}

export function requestMemo(): MemoStore | undefined {
  return store.getStore();
}
