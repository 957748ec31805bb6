// The only place that turns an error into a response: AppErrors become their status with
// `{ error, message, details }`; schema failures VALIDATION_FAILED; anything else a 500 whose
// cause is logged with the request id and never sent.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { Duplex } from 'node:stream';
import { AppError } from '../errors.ts';
import { html } from './views/html.ts';
import { layout } from './views/layout.ts';
import { errorSurfaceOf } from './surfaces.ts';

function wantsHtml(accept: string | undefined): boolean {
  return Boolean(accept?.includes('text/html'));
}

type Failure = NonNullable<FastifyError['validation']>[number];

/** Schema failures as `field → message` (`email`, `ids.0`; the part of the request for a whole-body failure). */
function fieldErrors(failures: Failure[], context: string | undefined): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const f of failures) {
    const params = (f.params ?? {}) as { missingProperty?: unknown; requiredProperties?: unknown; additionalProperties?: unknown; additionalProperty?: unknown };
    const base = f.instancePath.split('/').filter(Boolean);
    // Ajv names one missing or extra field; TypeBox lists them.
    const missing = [params.missingProperty, params.requiredProperties].flat().filter((p): p is string => typeof p === 'string');
    const extra = [params.additionalProperty, params.additionalProperties].flat().filter((p): p is string => typeof p === 'string');
    for (const name of missing) fields[[...base, name].join('.')] ??= 'This field is required.';
    for (const name of extra) fields[[...base, name].join('.')] ??= 'Unknown field.';
    if (!missing.length && !extra.length) fields[base.join('.') || context || 'body'] ??= f.message ?? 'Invalid value.';
  }
  return fields;
}

/** RFC 9110 §10.2.3: a refusal that knows when a retry may succeed (RATE_LIMITED) says so. */
function setRetryAfter(reply: FastifyReply, err: AppError): void {
  const seconds = err.details?.retryAfterSeconds;
  if (typeof seconds === 'number') reply.header('retry-after', String(seconds));
}

/**
 * Node's HTTP server hands CONNECT to a listener of its own and closes the connection without an
 * answer when there is none: DJAM is no proxy, so CONNECT gets a 405 (RFC 9110 §15.5.6).
 */
function refuseTunnels(app: FastifyInstance): void {
  const refuse = (_req: unknown, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    // Destroyed once the answer is written: nothing reads a handed-over socket, so its peer's
    // close would never be seen and the server's close() would wait on it for ever.
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD, POST\r\nContent-Type: text/plain\r\nContent-Length: 18\r\nConnection: close\r\n\r\nMethod Not Allowed', () => socket.destroy());
  };
  app.server.on('connect', refuse);
}

/** A request Fastify refused before a route ran (no Content-Type, a body over the limit): in the shape of its surface. */
function frameworkRefusal(url: string, err: FastifyError): Record<string, string> {
  const surface = errorSurfaceOf(url);
  if (surface === 'drf') return { detail: err.message };
  if (surface === 'oauth') return { error: 'invalid_request', error_description: err.message };
  return { error: err.code ?? 'BAD_REQUEST', message: err.message };
}

export function registerErrorHandler(app: FastifyInstance): void {
  refuseTunnels(app);
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      setRetryAfter(reply, err);
      if (wantsHtml(request.headers.accept)) {
        return reply.status(err.status).type('text/html').send(layout({ title: 'Request refused' }, html`<p class="error" role="alert">${err.message}</p>`));
      }
      return reply.status(err.status).send({ error: err.code, message: err.message, details: err.details });
    }
    if (err.validation) {
      const details = { failures: err.validation, fields: fieldErrors(err.validation, err.validationContext) };
      return reply.status(400).send({ error: 'VALIDATION_FAILED', message: 'The request is invalid.', details });
    }
    const status = err.statusCode ?? 500;
    if (status < 500) return reply.status(status).send(frameworkRefusal(request.url, err));
    request.log.error({ err }, 'request.failed');
    return reply.status(500).send({ error: 'INTERNAL', message: 'Something went wrong on our side.' });
  });
  app.setNotFoundHandler((request, reply) => {
    if (wantsHtml(request.headers.accept)) {
      return reply.status(404).type('text/html').send(layout({ title: 'Not found' }, html`<p>There is no page at this address.</p>`));
    }
    // A DRF client (GeoServer, the key API's) reads `detail`, as the original's DRF 404 has it.
    if (errorSurfaceOf(request.url) === 'drf') return reply.status(404).send({ detail: 'Not found.' });
    return reply.status(404).send({ error: 'NOT_FOUND', message: 'Not found.' });
  });
}
