// What the client gets of an upstream's answer (docs/compatibility.md §8.3): its status and headers, minus the
// hop-by-hop ones, with redirects to the upstream pointing back at this server, the upstream's
// own security headers kept and its cookies and scripts isolated from DJAM's (upstream-isolation.ts);
// or, when the upstream fails first, a short 502 or 504.
// One instance per proxied request (a class, so no closures are built per request).
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientResponseHeaders, rewriteLocation } from './forwarding.ts';
import type { RelayCallbacks } from './reply-relay.ts';
import { isolateAnswer, type Isolation } from './upstream-isolation.ts';

// Timeouts connecting, waiting for the headers, or between body chunks before anything was sent.
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** Where the answer comes from: the URL requested upstream, the resource's URL and slug. */
export interface AnswerRoute { target: URL; upstream: URL; slug: string }

export class ClientAnswer implements RelayCallbacks {
  readonly #request: FastifyRequest;
  readonly #route: AnswerRoute;
  readonly #ownOrigin: string;
  readonly #isolation: Isolation;

  constructor(request: FastifyRequest, route: AnswerRoute, ownOrigin: string, isolation: Isolation) {
    this.#request = request;
    this.#route = route;
    this.#ownOrigin = ownOrigin;
    this.#isolation = isolation;
  }

  start(reply: FastifyReply, statusCode: number, headers: IncomingHttpHeaders): void {
    reply.code(statusCode); // first: an invalid status throws before any header is set, and becomes a 502
    const out = clientResponseHeaders(headers);
    if (typeof out.location === 'string') {
      const { target, upstream, slug } = this.#route;
      out.location = rewriteLocation(out.location, target, upstream, slug, this.#ownOrigin);
    }
    isolateAnswer(out, this.#route, this.#isolation);
    reply.headers(out);
    reply.foreignContent = true; // the upstream's page keeps its own security headers
    // A connection whose request body was not read to its end cannot carry another request.
    if (!this.#request.raw.complete) reply.header('connection', 'close');
  }

  fail(reply: FastifyReply, error: Error & { code?: string }): void {
    reply.log.warn({ err: error }, 'proxy: the upstream request failed');
    const timeout = TIMEOUT_CODES.has(error.code ?? '');
    const text = timeout ? 'The upstream service did not answer in time.' : 'The upstream service is unavailable.';
    reply.status(timeout ? 504 : 502).type('text/plain; charset=utf-8').send(text);
  }
}
