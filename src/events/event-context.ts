// Where an event comes from when it is recorded inside an HTTP request: the client's address,
// user agent and request id, kept for the request's whole async flow so that services deep down
// need not pass them along. Events recorded in the request are kept here too, so that they are
// logged and counted once the response (and so the transaction) is done.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RecordedEvent { id: number; type: string; outcome: string; [field: string]: unknown }

export interface EventContext {
  ip?: string;
  userAgent?: string;
  requestId?: string;
  recorded: RecordedEvent[];
}

const store = new AsyncLocalStorage<EventContext>();

export function runInEventContext<T>(context: EventContext, fn: () => T): T {
  return store.run(context, fn);
}

export function currentEventContext(): EventContext | undefined {
  return store.getStore();
}
