// The HTTP client side of the proxy: one undici Agent (a keep-alive pool per upstream origin)
// driven through dispatch() with a handler that writes into the Fastify reply (reply-relay.ts),
// so an exchange builds no intermediate request or response objects. Requests are never retried:
// a method may not be idempotent, and an upstream's 503 is its answer (docs/compatibility.md §8.3).
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { Agent } from 'undici';
import { ReplyRelay, type RelayCallbacks } from './reply-relay.ts';

export interface UpstreamExchange {
  origin: string;
  /** Path and query string, as they go on the request line. */
  path: string;
  method: string;
  headers: Record<string, string | string[]>;
  /** The client's body, streamed as it arrives. */
  body: Readable | undefined;
}

/**
 * `DJAM_PROXY_TIMEOUT_MS` bounds the wait for the answer's headers and for each body chunk.
 * TLS certificates of https upstreams are verified (undici's default).
 */
export function createUpstreamAgent(timeoutMs: number): Agent {
  return new Agent({ connections: 128, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: Math.min(timeoutMs, 10_000) });
}

/** Sends the exchange upstream; `answer` puts the upstream's answer (or a failure) on `reply`. */
export function relay(agent: Agent, reply: FastifyReply, exchange: UpstreamExchange, answer: RelayCallbacks): void {
  agent.dispatch(exchange, new ReplyRelay(reply, answer));
}
