// One request of the provider often looks the same token id up under several models (an
// introspection tries AccessToken, ClientCredentials and RefreshToken at once). Within one
// request the adapter fetches every model of an id in one statement and shares the answer.
import { AsyncLocalStorage } from 'node:async_hooks';

export type MemoStore = Map<string, Promise<unknown>>;
const store = new AsyncLocalStorage<MemoStore>();

export function withRequestMemo<T>(fn: () => T): T {
  return store.run(new Map(), fn);
}

export function requestMemo(): MemoStore | undefined {
  return store.getStore();
}
