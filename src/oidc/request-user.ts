// Hands the DJAM-session user from the Fastify layer to checks running inside the provider,
// keyed by the raw request both share.
import type { IncomingMessage } from 'node:http';

const users = new WeakMap<IncomingMessage, string>();

export function setRequestUser(req: IncomingMessage, accountId: string): void {
  users.set(req, accountId);
}

export function getRequestUser(req: IncomingMessage): string | undefined {
  return users.get(req);
}
